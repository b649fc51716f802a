import type { DepartmentSpec } from "../model.ts";

/** Fashion: men's and women's clothing, shoes, bags and accessories. */
export const fashion: DepartmentSpec = {
  name: "Fashion",
  groups: [
    {
      name: "Men's Clothing",
      brands: ["Harbour & Pike", "Northcliff", "Aldergate", "Stitchwell", "Rowan Supply"],
      leaves: [
        {
          name: "Men's Shirts",
          types: ["Oxford Shirt:49", "Linen Shirt:55", "Flannel Shirt:45", "Polo Shirt:35", "T-Shirt:19"],
          price: 39,
          materials: ["Cotton", "Linen", "Organic Cotton"],
          features: ["Slim-Fit", "Regular-Fit", "Short-Sleeve"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} is cut for a clean, comfortable fit that works all week.",
            "Pre-washed fabric keeps its shape and colour wash after wash.",
          ],
        },
        {
          name: "Men's Trousers",
          types: ["Chinos:59", "Jeans:69", "Cargo Trousers:55", "Joggers:39", "Shorts:35"],
          price: 55,
          materials: ["Cotton", "Denim", "Stretch Cotton"],
          features: ["Slim-Fit", "Relaxed-Fit", "Straight-Leg"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} are made for everyday comfort without losing their sharp look.",
            "A touch of stretch gives you room to move.",
          ],
        },
        {
          name: "Men's Outerwear",
          types: ["Rain Jacket:129", "Puffer Jacket:179", "Overcoat:249", "Fleece Jacket:69", "Gilet:79"],
          price: 149,
          materials: ["Wool", "Nylon", "Recycled Polyester", "Down"],
          features: ["Waterproof", "Hooded", "Packable", "Insulated"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} keeps out wind and rain on the way to work and on the trail.",
            "Deep pockets and an adjustable hem add everyday practicality.",
          ],
        },
      ],
    },
    {
      name: "Women's Clothing",
      brands: ["Marlowe", "Celeste & Co", "Fernhill", "Ivy Lane", "Solenne"],
      leaves: [
        {
          name: "Dresses",
          types: ["Midi Dress:79", "Maxi Dress:89", "Wrap Dress:69", "Shirt Dress:65", "Slip Dress:59"],
          price: 75,
          materials: ["Cotton", "Linen", "Viscose", "Silk"],
          features: ["Floral", "Pleated", "Sleeveless"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} is easy to wear from a sunny weekend to an evening out.",
            "A flattering cut and a soft drape move beautifully.",
          ],
        },
        {
          name: "Women's Tops",
          types: ["Blouse:45", "Knit Sweater:69", "Cardigan:59", "Tank Top:19", "Hoodie:49"],
          price: 45,
          materials: ["Cotton", "Merino Wool", "Cashmere", "Silk"],
          features: ["Cropped", "Oversized", "Ribbed"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} is a soft, versatile layer for every season.",
            "It pairs as easily with jeans as with a tailored skirt.",
          ],
        },
        {
          name: "Women's Coats",
          types: ["Trench Coat:189", "Puffer Coat:199", "Wrap Coat:259", "Denim Jacket:79", "Blazer:119"],
          price: 179,
          materials: ["Wool", "Cotton", "Recycled Polyester"],
          features: ["Waterproof", "Belted", "Longline"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} is tailored to layer over everything from knitwear to dresses.",
            "A fully lined body keeps you warm without the bulk.",
          ],
        },
        {
          name: "Skirts",
          types: ["Midi Skirt:49", "Pleated Skirt:55", "Denim Skirt:45", "Mini Skirt:39"],
          price: 49,
          materials: ["Cotton", "Denim", "Satin"],
          colours: "clothing",
          variants: "clothing",
          blurbs: [
            "The {brand} {type} sits comfortably at the waist and moves with you.",
            "An easy wardrobe staple for work and weekends.",
          ],
        },
      ],
    },
    {
      name: "Shoes",
      brands: ["Stridewell", "Pacer", "Trailhawk", "Cobbler & Sons", "Solero", "Fleetfoot"],
      leaves: [
        {
          name: "Running Shoes",
          types: ["Running Shoes:119", "Trail Running Shoes:139", "Racing Shoes:159"],
          price: 129,
          features: ["Lightweight", "Cushioned", "Waterproof", "Wide-Fit"],
          colours: "bright",
          variants: "shoe",
          blurbs: [
            "The {brand} {type} combine a responsive midsole with a breathable mesh upper.",
            "A grippy rubber outsole holds on wet roads and dusty paths.",
          ],
        },
        {
          name: "Sneakers",
          types: ["Sneakers:89", "Canvas Sneakers:59", "High-Top Sneakers:99", "Slip-On Sneakers:65"],
          price: 79,
          materials: ["Leather", "Canvas", "Suede"],
          colours: "bright",
          variants: "shoe",
          blurbs: [
            "The {brand} {type} are a clean, everyday pair that goes with everything.",
            "A cushioned insole keeps you comfortable from morning to night.",
          ],
        },
        {
          name: "Boots",
          types: [
            "Chelsea Boots:139",
            "Hiking Boots:159",
            "Ankle Boots:119",
            "Rain Boots:49",
            "Work Boots:129",
          ],
          price: 129,
          materials: ["Leather", "Suede", "Rubber"],
          features: ["Waterproof", "Insulated", "Lace-Up"],
          colours: "clothing",
          variants: "shoe",
          blurbs: [
            "The {brand} {type} are built for cold mornings, wet streets and long walks.",
            "Stitched soles can be repaired, so they last for years.",
          ],
        },
        {
          name: "Sandals & Slippers",
          types: ["Sandals:45", "Slides:29", "Slippers:29", "Flip-Flops:15"],
          price: 35,
          materials: ["Leather", "Suede", "Cork", "Rubber"],
          colours: "clothing",
          variants: "shoe",
          blurbs: [
            "The {brand} {type} are light, comfortable and easy to slip on.",
            "A contoured footbed supports your feet all day.",
          ],
        },
      ],
    },
    {
      name: "Bags & Accessories",
      brands: ["Carrow", "Velden", "Satchel & Sons", "Wren"],
      leaves: [
        {
          name: "Handbags",
          types: ["Tote Bag:89", "Crossbody Bag:79", "Clutch Bag:59", "Shoulder Bag:99", "Weekend Bag:129"],
          price: 89,
          materials: ["Leather", "Canvas", "Suede", "Vegan Leather"],
          colours: "clothing",
          blurbs: [
            "The {brand} {type} has room for the everyday essentials and a few extras.",
            "An inner zip pocket keeps keys and cards secure.",
          ],
        },
        {
          name: "Wallets & Belts",
          types: ["Wallet:45", "Card Holder:29", "Belt:39", "Key Ring:15"],
          price: 35,
          materials: ["Leather", "Vegan Leather", "Canvas"],
          colours: "clothing",
          blurbs: [
            "The {brand} {type} is slim, well made and ages beautifully.",
            "Finished by hand with tidy stitching and smooth edges.",
          ],
        },
        {
          name: "Watches & Jewellery",
          types: [
            "Analogue Watch:149",
            "Pendant Necklace:69",
            "Stud Earrings:49",
            "Bracelet:45",
            "Signet Ring:79",
          ],
          price: 79,
          materials: ["Sterling Silver", "Gold-Plated", "Stainless Steel", "Titanium"],
          blurbs: [
            "The {brand} {type} is a quiet, elegant piece for everyday wear.",
            "Each piece arrives in a gift box, ready to give.",
          ],
        },
        {
          name: "Sunglasses & Hats",
          types: ["Sunglasses:89", "Polarised Sunglasses:119", "Baseball Cap:25", "Beanie:19", "Sun Hat:35"],
          price: 45,
          colours: "clothing",
          blurbs: [
            "The {brand} {type} protects you from sun and glare on every outing.",
            "Light and comfortable, you will forget you are wearing it.",
          ],
        },
      ],
    },
  ],
};
