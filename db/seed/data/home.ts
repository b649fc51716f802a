import type { DepartmentSpec } from "../model.ts";

/** Home: furniture, kitchen, decor, textiles and cleaning. */
export const home: DepartmentSpec = {
  name: "Home",
  groups: [
    {
      name: "Furniture",
      brands: ["Linden & Co", "Hearthwood", "Nordvik", "Arbor House", "Maison Belle", "Oakhurst"],
      leaves: [
        {
          name: "Sofas",
          types: ["Sofa:899", "Corner Sofa:1399", "Sofa Bed:799", "Loveseat:649"],
          price: 899,
          materials: ["Velvet", "Linen", "Leather", "Boucle", "Cotton"],
          specs: ["2-Seater", "3-Seater", "4-Seater"],
          colours: "upholstery",
          blurbs: [
            "The {brand} {type} has deep seats and plump cushions made for sinking into.",
            "A solid hardwood frame and pocket springs keep its shape year after year.",
            "Removable covers make it easy to keep fresh.",
          ],
        },
        {
          name: "Chairs",
          types: [
            "Armchair:399",
            "Dining Chair:129",
            "Office Chair:249",
            "Bar Stool:99",
            "Rocking Chair:299",
          ],
          price: 199,
          materials: ["Velvet", "Leather", "Oak", "Rattan", "Mesh"],
          colours: "upholstery",
          blurbs: [
            "The {brand} {type} offers generous support and a timeless shape.",
            "Sturdy joints and hard-wearing materials are made for everyday use.",
          ],
        },
        {
          name: "Tables",
          types: ["Dining Table:599", "Coffee Table:249", "Side Table:99", "Console Table:199"],
          price: 299,
          materials: ["Oak", "Walnut", "Pine", "Glass", "Marble", "Mango Wood"],
          specs: ["Round", "Rectangular", "Extendable"],
          blurbs: [
            "The {brand} {type} is the centre of shared meals, games and conversation.",
            "Each top is finished by hand to bring out its natural character.",
          ],
        },
        {
          name: "Desks",
          types: ["Desk:299", "Standing Desk:449", "Writing Desk:249", "Corner Desk:329"],
          price: 299,
          materials: ["Oak", "Walnut", "Birch", "Steel"],
          features: ["Electric", "Height-Adjustable", "Compact"],
          blurbs: [
            "The {brand} {type} gives you a calm, tidy place to work from home.",
            "Cable management and a stable frame keep the workspace neat and steady.",
          ],
        },
        {
          name: "Beds & Mattresses",
          types: ["Bed Frame:549", "Bunk Bed:499", "Memory Foam Mattress:499", "Pocket Sprung Mattress:599"],
          price: 499,
          materials: ["Oak", "Pine", "Velvet", "Linen"],
          variants: "bed",
          blurbs: [
            "The {brand} {type} is designed for deep, restful sleep night after night.",
            "Breathable materials keep you cool and comfortable until morning.",
          ],
        },
        {
          name: "Storage Furniture",
          types: [
            "Bookcase:199",
            "Wardrobe:599",
            "Chest of Drawers:299",
            "TV Stand:199",
            "Shoe Rack:59",
            "Sideboard:449",
          ],
          price: 249,
          materials: ["Oak", "Walnut", "Pine", "Rattan", "Steel"],
          blurbs: [
            "The {brand} {type} keeps clutter out of sight and looks good doing it.",
            "Soft-close drawers and adjustable shelves adapt to whatever you store.",
          ],
        },
      ],
    },
    {
      name: "Kitchen",
      brands: ["Brava", "Cucina Vera", "Ironleaf", "Kettleby", "Saltmarsh", "Copperline"],
      leaves: [
        {
          name: "Coffee & Tea",
          types: [
            "Electric Kettle:49",
            "Coffee Machine:199",
            "Espresso Machine:449",
            "Milk Frother:39",
            "Coffee Grinder:69",
            "Teapot:29",
          ],
          price: 79,
          features: ["Digital", "Quiet", "Cordless", "Programmable"],
          specs: ["1 L", "1.2 L", "1.5 L", "1.7 L"],
          colours: "metal",
          blurbs: [
            "The {brand} {type} makes a great cup quickly, morning after morning.",
            "An easy-clean design and automatic shut-off make it a safe everyday helper.",
          ],
        },
        {
          name: "Kitchen Appliances",
          types: [
            "Toaster:59",
            "Blender:89",
            "Stand Mixer:349",
            "Air Fryer:119",
            "Food Processor:129",
            "Microwave:149",
            "Slow Cooker:69",
          ],
          price: 99,
          features: ["Digital", "Compact", "Programmable"],
          specs: ["800 W", "1000 W", "1200 W", "1500 W", "2000 W"],
          colours: "metal",
          blurbs: [
            "The {brand} {type} takes the effort out of everyday cooking.",
            "Simple controls and dishwasher-safe parts make it a pleasure to use.",
          ],
        },
        {
          name: "Cookware",
          types: [
            "Frying Pan:39",
            "Saucepan:45",
            "Stockpot:69",
            "Dutch Oven:119",
            "Wok:49",
            "Cookware Set:199",
          ],
          price: 59,
          materials: ["Cast Iron", "Stainless Steel", "Non-Stick", "Copper", "Carbon Steel"],
          specs: ["20 cm", "24 cm", "28 cm"],
          blurbs: [
            "The {brand} {type} heats evenly for perfect searing, simmering and browning.",
            "It works on every hob, including induction, and goes into the oven.",
          ],
        },
        {
          name: "Knives & Utensils",
          types: [
            "Chef Knife:79",
            "Knife Block Set:149",
            "Cutting Board:35",
            "Kitchen Scale:25",
            "Utensil Set:29",
          ],
          price: 45,
          materials: ["Stainless Steel", "Damascus Steel", "Bamboo", "Olive Wood", "Silicone"],
          blurbs: [
            "The {brand} {type} is balanced, precise and a joy to cook with.",
            "Well made from tested materials, it is built for years of daily use.",
          ],
        },
        {
          name: "Tableware",
          types: [
            "Dinner Plate Set:59",
            "Coffee Mug:14",
            "Wine Glasses:35",
            "Cutlery Set:49",
            "Serving Bowl:29",
          ],
          price: 35,
          materials: ["Stoneware", "Porcelain", "Glass", "Ceramic"],
          colours: "basic",
          variants: "pack",
          blurbs: [
            "The {brand} {type} brings a touch of occasion to everyday meals.",
            "Dishwasher and microwave safe, it is made for daily use.",
          ],
        },
      ],
    },
    {
      name: "Decor",
      brands: ["Lumen & Loom", "Willowmere", "Aster Home", "Kindred Craft", "Saltbox"],
      leaves: [
        {
          name: "Lighting",
          types: [
            "Floor Lamp:129",
            "Table Lamp:59",
            "Desk Lamp:45",
            "Pendant Light:99",
            "LED Strip Light:29",
          ],
          price: 79,
          materials: ["Brass", "Rattan", "Linen", "Glass", "Ceramic"],
          features: ["Dimmable", "Smart", "Adjustable"],
          blurbs: [
            "The {brand} {type} casts a warm, even light that makes any room feel welcoming.",
            "It takes a standard bulb, so it is easy to change the mood.",
          ],
        },
        {
          name: "Rugs",
          types: ["Area Rug:199", "Runner Rug:89", "Outdoor Rug:99"],
          price: 149,
          materials: ["Wool", "Jute", "Cotton", "Viscose"],
          specs: ["120 x 170 cm", "160 x 230 cm", "200 x 290 cm"],
          colours: "upholstery",
          blurbs: [
            "The {brand} {type} adds softness and warmth underfoot.",
            "A dense weave keeps it looking good in busy rooms.",
          ],
        },
        {
          name: "Wall Decor",
          types: ["Wall Mirror:89", "Wall Clock:39", "Framed Print:49", "Canvas Print:59"],
          price: 59,
          materials: ["Oak", "Brass", "Black Metal", "Rattan"],
          blurbs: [
            "The {brand} {type} is an easy way to give a room character.",
            "It arrives ready to hang with fixings included.",
          ],
        },
        {
          name: "Home Textiles",
          types: ["Cushion:25", "Throw Blanket:45", "Curtains:59", "Duvet Cover Set:69", "Bath Towel:19"],
          price: 39,
          materials: ["Cotton", "Linen", "Velvet", "Wool", "Bamboo"],
          colours: "upholstery",
          blurbs: [
            "The {brand} {type} is soft, breathable and made to be used every day.",
            "It washes well and gets softer with every wash.",
          ],
        },
      ],
    },
    {
      name: "Cleaning & Appliances",
      brands: ["Tidewell", "Clearhaus", "Vaccu", "Brightmop"],
      leaves: [
        {
          name: "Vacuum Cleaners",
          types: ["Robot Vacuum:349", "Cordless Vacuum:249", "Upright Vacuum:179", "Handheld Vacuum:69"],
          price: 229,
          features: ["Bagless", "Pet Hair", "Quiet", "Self-Emptying"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} lifts dust, crumbs and pet hair from carpets and hard floors.",
            "A washable filter traps fine dust and allergens.",
          ],
        },
        {
          name: "Laundry",
          types: [
            "Washing Machine:599",
            "Tumble Dryer:549",
            "Steam Iron:49",
            "Garment Steamer:59",
            "Laundry Basket:25",
          ],
          price: 149,
          features: ["Quiet", "Energy-Saving", "Compact"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} makes laundry day quicker and easier.",
            "Careful programmes look after delicate fabrics.",
          ],
        },
        {
          name: "Heating & Cooling",
          types: [
            "Air Purifier:199",
            "Dehumidifier:179",
            "Humidifier:59",
            "Fan Heater:45",
            "Tower Fan:69",
            "Oil Radiator:89",
          ],
          price: 99,
          features: ["Quiet", "Smart", "Energy-Saving"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} keeps every room comfortable through the seasons.",
            "A night mode and a timer let it run quietly while you sleep.",
          ],
        },
      ],
    },
  ],
};
