import type { DepartmentSpec } from "../model.ts";

/** Beauty & Personal Care. */
export const beauty: DepartmentSpec = {
  name: "Beauty",
  groups: [
    {
      name: "Skin & Hair",
      brands: ["Aurelle", "Pure Cove", "Mistral Skin", "Velour Botanics"],
      leaves: [
        {
          name: "Skincare",
          types: [
            "Face Moisturiser:29",
            "Vitamin C Serum:35",
            "Face Cleanser:19",
            "Sunscreen:19",
            "Eye Cream:39",
            "Face Mask:15",
          ],
          price: 25,
          features: ["Fragrance-Free", "Hydrating", "Vegan", "Sensitive"],
          specs: ["30 ml", "50 ml", "100 ml"],
          blurbs: [
            "The {brand} {type} leaves skin soft, calm and comfortable all day.",
            "Dermatologist tested and suitable for daily use.",
          ],
        },
        {
          name: "Hair Care",
          types: [
            "Shampoo:15",
            "Conditioner:15",
            "Hair Dryer:99",
            "Hair Straightener:79",
            "Curling Wand:69",
            "Hair Brush:19",
          ],
          price: 39,
          features: ["Ionic", "Sulphate-Free", "Travel"],
          blurbs: [
            "The {brand} {type} helps you get smooth, shiny hair with less effort.",
            "Gentle on hair and scalp, day after day.",
          ],
        },
      ],
    },
    {
      name: "Grooming & Fragrance",
      brands: ["Barberline", "Keenedge", "Groomsby", "Aurelle"],
      leaves: [
        {
          name: "Shaving & Oral Care",
          types: [
            "Electric Shaver:99",
            "Beard Trimmer:49",
            "Safety Razor:35",
            "Electric Toothbrush:69",
            "Water Flosser:59",
          ],
          price: 59,
          features: ["Rechargeable", "Waterproof", "Cordless"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} gives a close, comfortable result without irritation.",
            "A long-lasting battery and a travel case make it ready for trips.",
          ],
        },
        {
          name: "Fragrance",
          types: ["Eau de Parfum:79", "Eau de Toilette:59", "Scented Candle:29", "Reed Diffuser:35"],
          price: 49,
          features: ["Floral", "Woody", "Citrus", "Fresh"],
          specs: ["50 ml", "100 ml", "200 ml"],
          blurbs: [
            "The {brand} {type} opens bright and settles into a warm, lasting base.",
            "Blended in small batches from carefully chosen ingredients.",
          ],
        },
      ],
    },
  ],
};

/** Toys & Games. */
export const toys: DepartmentSpec = {
  name: "Toys & Games",
  groups: [
    {
      name: "Toys",
      brands: ["Brightblock", "Tinker & Twig", "Playvale", "Cubbyhouse"],
      leaves: [
        {
          name: "Building Toys",
          types: ["Building Blocks Set:39", "Magnetic Tiles:49", "Marble Run:45", "Wooden Train Set:59"],
          price: 45,
          features: ["Educational", "Deluxe", "Starter"],
          blurbs: [
            "The {brand} {type} sparks hours of creative, hands-on play.",
            "Safety tested, with pieces sized for small hands.",
          ],
        },
        {
          name: "Dolls & Soft Toys",
          types: ["Plush Toy:19", "Baby Doll:29", "Dollhouse:119", "Puppet:15"],
          price: 25,
          materials: ["Organic Cotton", "Plush", "Wooden"],
          blurbs: [
            "The {brand} {type} is soft, friendly and ready for adventures.",
            "Made to last through years of hugs and play.",
          ],
        },
        {
          name: "Games & Puzzles",
          types: ["Board Game:35", "Jigsaw Puzzle:19", "Card Game:15", "Chess Set:45"],
          price: 25,
          features: ["Family", "Strategy", "Party"],
          blurbs: [
            "The {brand} {type} brings friends and family together around the table.",
            "Quick to learn and different every time you play.",
          ],
        },
        {
          name: "Outdoor Play",
          types: ["Kick Scooter:79", "Trampoline:299", "Swing Set:249", "Balance Bike:89", "Sandpit:69"],
          price: 119,
          colours: "bright",
          blurbs: [
            "The {brand} {type} gets children outside and moving.",
            "Sturdy and weather-resistant for year-round play.",
          ],
        },
      ],
    },
  ],
};

/** Garden & DIY. */
export const garden: DepartmentSpec = {
  name: "Garden & DIY",
  groups: [
    {
      name: "Garden",
      brands: ["Greenhollow", "Fernway", "Potting Shed", "Yardcraft"],
      leaves: [
        {
          name: "Garden Tools",
          types: [
            "Pruning Shears:25",
            "Garden Hose:39",
            "Lawn Mower:299",
            "Leaf Blower:129",
            "Hedge Trimmer:99",
          ],
          price: 79,
          features: ["Cordless", "Electric", "Ergonomic"],
          blurbs: [
            "The {brand} {type} makes garden jobs quicker and kinder on your hands.",
            "Built to handle season after season of use.",
          ],
        },
        {
          name: "Pots & Planters",
          types: ["Plant Pot:19", "Raised Garden Bed:99", "Watering Can:19", "Hanging Basket:25"],
          price: 29,
          materials: ["Terracotta", "Ceramic", "Concrete", "Galvanised Steel"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} gives your plants a healthy home indoors or out.",
            "Frost resistant and with drainage holes where it matters.",
          ],
        },
        {
          name: "Garden Furniture",
          types: [
            "Garden Chair:79",
            "Patio Dining Set:499",
            "Sun Lounger:149",
            "Parasol:89",
            "Garden Bench:199",
          ],
          price: 149,
          materials: ["Teak", "Rattan", "Aluminium", "Acacia"],
          blurbs: [
            "The {brand} {type} turns the patio into a second living room.",
            "Weather-resistant materials mean it can stay out all summer.",
          ],
        },
      ],
    },
    {
      name: "Tools",
      brands: ["Torqline", "Boltsmith", "Forgecraft", "Mason & Grey"],
      leaves: [
        {
          name: "Power Tools",
          types: [
            "Cordless Drill:119",
            "Impact Driver:129",
            "Circular Saw:149",
            "Orbital Sander:79",
            "Jigsaw:89",
          ],
          price: 119,
          features: ["Brushless", "Compact", "Heavy-Duty"],
          specs: ["12 V", "18 V", "20 V"],
          blurbs: [
            "The {brand} {type} delivers steady power for DIY projects big and small.",
            "A long-lasting battery and a soft grip keep you working longer.",
          ],
        },
        {
          name: "Hand Tools",
          types: [
            "Claw Hammer:19",
            "Screwdriver Set:29",
            "Tape Measure:12",
            "Spirit Level:19",
            "Socket Set:49",
          ],
          price: 25,
          materials: ["Chrome Vanadium", "Fibreglass", "Stainless Steel"],
          blurbs: [
            "The {brand} {type} is a dependable part of any toolbox.",
            "Precisely made and guaranteed for life.",
          ],
        },
        {
          name: "Tool Storage",
          types: ["Toolbox:39", "Tool Chest:199", "Tool Belt:29", "Workbench:149"],
          price: 59,
          materials: ["Steel", "Plastic", "Leather"],
          blurbs: [
            "The {brand} {type} keeps every tool organised and within reach.",
            "Tough construction stands up to busy workshops.",
          ],
        },
      ],
    },
  ],
};

/** Pets. */
export const pets: DepartmentSpec = {
  name: "Pets",
  groups: [
    {
      name: "Pet Supplies",
      brands: ["Whiskerwood", "Barkley & Co", "Tailspin", "Hound & Home"],
      leaves: [
        {
          name: "Dog Supplies",
          types: ["Dog Bed:59", "Dog Lead:19", "Dog Collar:15", "Dog Toy:12", "Dog Crate:89"],
          price: 29,
          materials: ["Leather", "Nylon", "Canvas", "Plush"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} is made for happy, comfortable dogs and their owners.",
            "Tough enough for daily walks and enthusiastic play.",
          ],
        },
        {
          name: "Cat Supplies",
          types: ["Cat Tree:99", "Litter Box:35", "Cat Scratcher:25", "Cat Toy:9", "Cat Carrier:45"],
          price: 29,
          colours: "basic",
          blurbs: [
            "The {brand} {type} keeps curious cats busy, calm and content.",
            "Easy to clean and built to last.",
          ],
        },
        {
          name: "Pet Feeding",
          types: ["Pet Bowl:15", "Automatic Pet Feeder:79", "Pet Water Fountain:39"],
          price: 29,
          materials: ["Stainless Steel", "Ceramic", "Bamboo"],
          blurbs: [
            "The {brand} {type} makes mealtimes tidy and regular.",
            "Dishwasher-safe parts make cleaning quick.",
          ],
        },
      ],
    },
  ],
};

/** Office & Stationery. */
export const office: DepartmentSpec = {
  name: "Office",
  groups: [
    {
      name: "Stationery",
      brands: ["Papergrove", "Inkwell", "Deskwise", "Linea"],
      leaves: [
        {
          name: "Notebooks & Paper",
          types: ["Notebook:12", "Planner:19", "Sketchbook:15", "Sticky Notes:6"],
          price: 12,
          features: ["Dotted", "Lined", "Hardcover", "Spiral-Bound"],
          specs: ["A4", "A5", "Pocket"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} has smooth, thick paper that takes ink without bleeding.",
            "A lay-flat binding makes writing right to the edge easy.",
          ],
        },
        {
          name: "Pens & Writing",
          types: [
            "Fountain Pen:59",
            "Ballpoint Pen Set:12",
            "Gel Pens:9",
            "Highlighters:7",
            "Mechanical Pencil:9",
          ],
          price: 12,
          features: ["Refillable", "Fine-Tip", "Quick-Dry"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} writes smoothly and evenly from the first stroke.",
            "Comfortable in the hand for long notes and letters.",
          ],
        },
        {
          name: "Office Equipment",
          types: [
            "Label Printer:69",
            "Paper Shredder:89",
            "Desk Organiser:25",
            "Laminator:45",
            "Monitor Stand:39",
          ],
          price: 45,
          features: ["Compact", "Quiet", "Wireless"],
          blurbs: [
            "The {brand} {type} keeps the home office tidy and efficient.",
            "Simple to set up and easy to use every day.",
          ],
        },
      ],
    },
  ],
};
