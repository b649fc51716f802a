import type { DepartmentSpec } from "../model.ts";

/** Sports & Outdoors: camping and hiking, fitness, cycling, team sports. */
export const sports: DepartmentSpec = {
  name: "Sports & Outdoors",
  groups: [
    {
      name: "Camping & Hiking",
      brands: ["Ridgeline", "Alpenwise", "Summit & Co", "Basecamp", "Trailhawk"],
      leaves: [
        {
          name: "Tents",
          types: ["Dome Tent:199", "Backpacking Tent:299", "Family Tent:449", "Pop-Up Tent:89"],
          price: 229,
          features: ["Lightweight", "Waterproof", "Four-Season"],
          specs: ["1-Person", "2-Person", "4-Person", "6-Person"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} pitches in minutes and stands firm in wind and rain.",
            "Taped seams and a full-coverage flysheet keep you dry through the night.",
          ],
        },
        {
          name: "Backpacks",
          types: ["Hiking Backpack:129", "Daypack:59", "Travel Backpack:99", "Hydration Pack:69"],
          price: 89,
          features: ["Lightweight", "Water-Resistant", "Ventilated"],
          specs: ["20 L", "30 L", "45 L", "65 L"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} carries comfortably with an adjustable back system and padded hip belt.",
            "Plenty of pockets keep maps, snacks and water within reach.",
          ],
        },
        {
          name: "Sleeping Gear",
          types: ["Sleeping Bag:119", "Sleeping Pad:69", "Camping Pillow:25", "Hammock:49"],
          price: 69,
          features: ["Ultralight", "Insulated", "Compact"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} keeps you warm and rested on cold nights outdoors.",
            "It packs down small to save space in your pack.",
          ],
        },
        {
          name: "Camp Kitchen",
          types: [
            "Camping Stove:69",
            "Water Bottle:25",
            "Insulated Flask:35",
            "Cool Box:89",
            "Camping Cookset:49",
          ],
          price: 45,
          materials: ["Stainless Steel", "Titanium", "Aluminium"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} makes hot drinks and good meals possible miles from anywhere.",
            "Tough, light and easy to clean after a day on the trail.",
          ],
        },
        {
          name: "Climbing",
          types: [
            "Climbing Harness:79",
            "Climbing Rope:179",
            "Carabiner:12",
            "Chalk Bag:19",
            "Climbing Shoes:109",
          ],
          price: 59,
          features: ["Lightweight", "Adjustable"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} is tested to climbing standards and built for confidence on the wall.",
            "Comfortable for long sessions at the crag or the gym.",
          ],
        },
      ],
    },
    {
      name: "Fitness",
      brands: ["Ironclad", "Flexa", "Corestrong", "Zenmat", "Pulsefit"],
      leaves: [
        {
          name: "Weights",
          types: [
            "Dumbbell:49",
            "Kettlebell:45",
            "Adjustable Dumbbells:299",
            "Weight Plate:39",
            "Barbell:129",
          ],
          price: 59,
          materials: ["Cast Iron", "Rubber-Coated", "Neoprene"],
          variants: "weight",
          blurbs: [
            "The {brand} {type} is a solid foundation for strength training at home.",
            "A knurled grip stays secure even during sweaty sets.",
          ],
        },
        {
          name: "Yoga",
          types: [
            "Yoga Mat:39",
            "Yoga Block:15",
            "Yoga Strap:12",
            "Meditation Cushion:39",
            "Pilates Ring:19",
          ],
          price: 29,
          materials: ["Cork", "Natural Rubber", "TPE", "Foam"],
          features: ["Non-Slip", "Extra-Thick", "Travel"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} gives you grip and cushioning through every pose.",
            "Light enough to carry to class and easy to wipe clean.",
          ],
        },
        {
          name: "Cardio Machines",
          types: [
            "Treadmill:899",
            "Exercise Bike:599",
            "Rowing Machine:699",
            "Elliptical Trainer:799",
            "Jump Rope:15",
          ],
          price: 599,
          features: ["Folding", "Smart", "Quiet"],
          blurbs: [
            "The {brand} {type} brings a full cardio workout into your home.",
            "Built-in programmes keep every session varied and challenging.",
          ],
        },
      ],
    },
    {
      name: "Cycling",
      brands: ["Velocita", "Cadenza", "Spokewise", "Roadrunner"],
      leaves: [
        {
          name: "Bikes",
          types: [
            "Road Bike:1299",
            "Mountain Bike:899",
            "Electric Bike:1899",
            "Kids Bike:249",
            "Folding Bike:599",
            "Gravel Bike:1199",
          ],
          price: 999,
          materials: ["Aluminium", "Carbon", "Steel"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} is quick, stable and a pleasure to ride on every outing.",
            "Reliable disc brakes and smooth gears make light work of hills.",
          ],
        },
        {
          name: "Bike Helmets",
          types: ["Bike Helmet:69", "MTB Helmet:99", "Kids Bike Helmet:39"],
          price: 69,
          features: ["Ventilated", "Lightweight"],
          colours: "bright",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} is certified for safety and cooled by generous vents.",
            "A dial fit system adjusts in seconds, even with gloves on.",
          ],
        },
        {
          name: "Bike Accessories",
          types: ["Bike Light:29", "Bike Lock:39", "Bike Pump:25", "Cycling Gloves:25", "Bike Rack:149"],
          price: 35,
          features: ["Rechargeable", "Compact", "Heavy-Duty"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} makes every ride safer and simpler.",
            "Weather-proof and easy to fit to most bikes.",
          ],
        },
      ],
    },
    {
      name: "Team & Racket Sports",
      brands: ["Strikezone", "Goalpost", "Apex Athletics"],
      leaves: [
        {
          name: "Ball Sports",
          types: ["Football:25", "Basketball:29", "Volleyball:25", "Rugby Ball:25", "Football Goal:99"],
          price: 29,
          features: ["Match", "Training", "Indoor"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} is built for practice sessions and match days alike.",
            "A durable cover keeps its shape and bounce season after season.",
          ],
        },
        {
          name: "Racket Sports",
          types: [
            "Tennis Racket:119",
            "Badminton Set:49",
            "Table Tennis Bat:29",
            "Padel Racket:129",
            "Tennis Balls:9",
          ],
          price: 59,
          features: ["Lightweight", "Pro", "Beginner"],
          colours: "bright",
          blurbs: [
            "The {brand} {type} offers control and power for players of every level.",
            "A comfortable grip keeps your hand fresh through long rallies.",
          ],
        },
      ],
    },
  ],
};
