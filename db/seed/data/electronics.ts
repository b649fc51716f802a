import type { DepartmentSpec } from "../model.ts";

/** Electronics: audio, phones, computers and their accessories, cameras, TV, wearables, gaming. */
export const electronics: DepartmentSpec = {
  name: "Electronics",
  groups: [
    {
      name: "Audio",
      brands: ["Auralis", "Sonavo", "Tonebridge", "Kestrel Audio", "Vireo", "Halden"],
      leaves: [
        {
          name: "Headphones",
          types: [
            "Over-Ear Headphones:149",
            "On-Ear Headphones:79",
            "Wireless Earbuds:99",
            "Sports Earbuds:59",
            "Kids Headphones:29",
          ],
          price: 99,
          features: ["Wireless", "Noise-Cancelling", "Bluetooth", "Foldable", "Studio"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} deliver rich, detailed sound with deep bass and clear highs.",
            "Soft cushions and a light build keep the {type} comfortable through long listening sessions.",
            "Up to 30 hours of battery life and fast charging keep the music going on long trips.",
          ],
        },
        {
          name: "Speakers",
          types: [
            "Bluetooth Speaker:79",
            "Smart Speaker:99",
            "Soundbar:249",
            "Bookshelf Speakers:199",
            "Party Speaker:179",
          ],
          price: 129,
          features: ["Portable", "Waterproof", "Wi-Fi", "Voice-Controlled"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} fills a room with balanced, room-filling sound.",
            "Pair it with your phone in seconds and stream music, podcasts and radio.",
            "A sturdy cabinet and tuned drivers keep the sound clean even at high volume.",
          ],
        },
        {
          name: "Microphones",
          types: ["USB Microphone:89", "Podcast Microphone:129", "Lavalier Microphone:29"],
          price: 79,
          features: ["Cardioid", "Plug-and-Play", "Studio"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} captures your voice clearly for podcasts, streams and video calls.",
            "A built-in pop filter and headphone output make recording at home simple.",
          ],
        },
        {
          name: "Hi-Fi",
          types: ["Turntable:249", "Stereo Amplifier:399", "Headphone Amplifier:149", "CD Player:199"],
          price: 249,
          features: ["Bluetooth", "Belt-Drive", "Vintage-Style"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} brings warm, detailed sound to your record and music collection.",
            "Solid construction and careful engineering keep noise and vibration low.",
          ],
        },
      ],
    },
    {
      name: "Phones & Tablets",
      brands: ["Novaro", "Pellucid", "Qubit", "Lumio", "Stratos"],
      leaves: [
        {
          name: "Smartphones",
          types: ["Smartphone:499", "Rugged Smartphone:349", "Foldable Smartphone:1199"],
          price: 499,
          features: ["5G", "Dual-SIM", "Unlocked"],
          colours: "tech",
          variants: "storage",
          blurbs: [
            "The {brand} {type} pairs a bright OLED display with an all-day battery.",
            "A triple camera takes sharp photos in daylight and low light alike.",
            "Fast charging gives you hours of use from a few minutes on the charger.",
          ],
        },
        {
          name: "Tablets",
          types: ["Tablet:349", "Kids Tablet:129", "E-Reader:129"],
          price: 299,
          features: ["Wi-Fi", "5G", "Lightweight"],
          colours: "tech",
          variants: "storage",
          blurbs: [
            "The {brand} {type} is light enough to hold for hours of reading, browsing and streaming.",
            "A sharp, glare-reducing screen is easy on the eyes indoors and out.",
          ],
        },
        {
          name: "Phone Accessories",
          types: [
            "Phone Case:19",
            "Screen Protector:12",
            "Wireless Charger:35",
            "Car Phone Mount:25",
            "Power Bank:39",
          ],
          price: 25,
          features: ["Slim", "Magnetic", "Shockproof", "Fast-Charging"],
          colours: "tech",
          brands: ["Gripwell", "Voltaic"],
          blurbs: [
            "The {brand} {type} protects and powers your phone wherever the day takes you.",
            "Precise fit and tested materials make it a dependable everyday accessory.",
          ],
        },
      ],
    },
    {
      name: "Computers",
      brands: ["Cirrus", "Vantor", "Keystone", "Orbitek", "Lumio"],
      leaves: [
        {
          name: "Laptops",
          types: ["Laptop:899", "Gaming Laptop:1499", "2-in-1 Laptop:799", "Chromebook:329"],
          price: 899,
          features: ["Ultralight", "Touchscreen", "Business"],
          specs: ["13-inch", "14-inch", "15.6-inch", "16-inch"],
          colours: "tech",
          variants: "storage",
          blurbs: [
            "The {brand} {type} combines a fast processor with a crisp, colour-accurate display.",
            "A backlit keyboard and a precise trackpad make long working days easier.",
            "All-day battery life means you can leave the charger at home.",
          ],
        },
        {
          name: "Desktops",
          types: ["Desktop PC:899", "Gaming PC:1599", "Mini PC:399", "All-in-One PC:1099"],
          price: 899,
          features: ["Compact", "Quiet", "Upgradeable"],
          colours: "tech",
          variants: "storage",
          blurbs: [
            "The {brand} {type} handles office work, photo editing and games with ease.",
            "Plenty of ports and room to upgrade keep it useful for years.",
          ],
        },
        {
          name: "Monitors",
          types: ["Monitor:249", "Gaming Monitor:399", "Portable Monitor:199", "Ultrawide Monitor:549"],
          price: 299,
          features: ["4K", "Curved", "144 Hz", "USB-C"],
          specs: ["24-inch", "27-inch", "32-inch", "34-inch"],
          blurbs: [
            "The {brand} {type} shows sharp text and vivid colour from any angle.",
            "A height-adjustable stand and a flicker-free backlight keep long sessions comfortable.",
          ],
        },
        {
          name: "Keyboards & Mice",
          types: [
            "Mechanical Keyboard:99",
            "Wireless Keyboard:49",
            "Wireless Mouse:29",
            "Gaming Mouse:59",
            "Trackpad:79",
          ],
          price: 49,
          features: ["Ergonomic", "Rechargeable", "Backlit", "Silent"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} is precise, responsive and comfortable for a full day at the desk.",
            "It connects to up to three devices and switches between them at the press of a button.",
          ],
        },
      ],
    },
    {
      name: "Computer Accessories",
      brands: ["Carrywell", "Driftline", "Tessel", "Voltaic", "Nomadica"],
      leaves: [
        {
          name: "Laptop Bags & Sleeves",
          types: ["Laptop Bag:69", "Notebook Sleeve:29", "Laptop Backpack:79", "Messenger Bag:59"],
          price: 59,
          features: ["Water-Resistant", "Padded", "Slim"],
          materials: ["Nylon", "Leather", "Canvas", "Neoprene", "Felt"],
          specs: ["13-inch", "14-inch", "15-inch", "16-inch"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} keeps your computer safe on the commute and in the office.",
            "A soft lining and reinforced corners protect against bumps and scratches.",
          ],
        },
        {
          name: "Storage & Drives",
          types: ["External Hard Drive:89", "Portable SSD:119", "USB Flash Drive:15", "Memory Card:25"],
          price: 59,
          features: ["Rugged", "High-Speed", "Encrypted"],
          variants: "storage",
          blurbs: [
            "The {brand} {type} keeps your photos, videos and backups safe and close at hand.",
            "Fast transfers move a whole holiday's photos in minutes.",
          ],
        },
        {
          name: "Cables & Hubs",
          types: ["USB-C Hub:45", "HDMI Cable:15", "USB-C Cable:12", "Docking Station:179"],
          price: 29,
          features: ["Braided", "Fast-Charging", "4K"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} connects displays, drives and chargers without fuss.",
            "Tested for thousands of bends, it is built to survive daily use.",
          ],
        },
        {
          name: "Webcams",
          types: ["Webcam:79", "Streaming Webcam:129", "Conference Camera:249"],
          price: 99,
          features: ["1080p", "4K", "Autofocus"],
          blurbs: [
            "The {brand} {type} makes you look sharp and natural on every video call.",
            "Dual microphones pick up your voice and filter out background noise.",
          ],
        },
      ],
    },
    {
      name: "Cameras",
      brands: ["Lenstra", "Opticor", "Brightfield", "Halcyon", "Rovik"],
      leaves: [
        {
          name: "Digital Cameras",
          types: ["Mirrorless Camera:1099", "Compact Camera:399", "Instant Camera:89", "Film Camera:249"],
          price: 599,
          features: ["Full-Frame", "Weather-Sealed", "Retro"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} captures sharp, true-to-life photos and smooth video.",
            "Fast autofocus tracks people and pets so you never miss the moment.",
          ],
        },
        {
          name: "Action Cameras & Drones",
          types: ["Action Camera:299", "Dash Cam:99", "Camera Drone:699"],
          price: 299,
          features: ["4K", "Waterproof", "Stabilised"],
          blurbs: [
            "The {brand} {type} records steady, detailed footage on the move.",
            "A tough body shrugs off rain, dust and the occasional knock.",
          ],
        },
        {
          name: "Camera Accessories",
          types: ["Camera Lens:549", "Tripod:69", "Camera Bag:59", "Camera Strap:25", "Ring Light:39"],
          price: 59,
          features: ["Lightweight", "Travel", "Professional"],
          colours: "basic",
          blurbs: [
            "The {brand} {type} helps photographers of every level get the shot.",
            "Carefully made and tested, it is ready for years of shoots.",
          ],
        },
      ],
    },
    {
      name: "TV & Home Cinema",
      brands: ["Vistara", "Brightfield", "Panora", "Lumio"],
      leaves: [
        {
          name: "Televisions",
          types: ["OLED TV:1499", "LED TV:499", "QLED TV:899"],
          price: 799,
          features: ["4K", "Smart", "HDR"],
          specs: ["43-inch", "50-inch", "55-inch", "65-inch", "75-inch"],
          blurbs: [
            "The {brand} {type} shows films, sport and games in deep colour and fine detail.",
            "Built-in streaming apps and voice search put everything you watch in one place.",
          ],
        },
        {
          name: "Projectors",
          types: ["Home Cinema Projector:599", "Mini Projector:199", "Projector Screen:129"],
          price: 299,
          features: ["4K", "Portable", "Short-Throw"],
          blurbs: [
            "The {brand} {type} turns any wall into a big screen for movie nights.",
            "Quick setup and automatic focus get the picture sharp in seconds.",
          ],
        },
        {
          name: "Streaming Devices",
          types: ["Streaming Stick:49", "Media Player:129", "TV Antenna:35"],
          price: 49,
          features: ["4K", "Voice-Controlled"],
          blurbs: [
            "The {brand} {type} brings your favourite channels and apps to any television.",
            "Setup takes minutes and updates arrive automatically.",
          ],
        },
      ],
    },
    {
      name: "Wearables",
      brands: ["Pulsefit", "Chronex", "Tempo", "Lumio"],
      leaves: [
        {
          name: "Smartwatches",
          types: ["Smartwatch:249", "Kids Smartwatch:79", "GPS Running Watch:299"],
          price: 249,
          features: ["GPS", "Waterproof", "LTE"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} tracks workouts, sleep and heart rate and shows your messages at a glance.",
            "A bright always-on display stays readable in direct sunlight.",
          ],
        },
        {
          name: "Fitness Trackers",
          types: ["Fitness Tracker:79", "Heart Rate Monitor:59", "Smart Ring:299"],
          price: 79,
          features: ["Waterproof", "Slim"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} counts steps, measures sleep and keeps you moving.",
            "A week of battery life means less time on the charger.",
          ],
        },
      ],
    },
    {
      name: "Gaming",
      brands: ["Nexplay", "Vortek", "Arcadia Labs", "Joyforge"],
      leaves: [
        {
          name: "Gaming Accessories",
          types: [
            "Game Controller:59",
            "Gaming Headset:89",
            "Gaming Chair:249",
            "Racing Wheel:299",
            "Gaming Keyboard:119",
          ],
          price: 89,
          features: ["Wireless", "RGB", "Pro"],
          colours: "tech",
          blurbs: [
            "The {brand} {type} gives you the precision and comfort to play for hours.",
            "Works with PC and the major consoles out of the box.",
          ],
        },
        {
          name: "Consoles",
          types: ["Handheld Console:299", "Retro Console:79"],
          price: 199,
          features: ["Portable"],
          colours: "tech",
          variants: "storage",
          blurbs: [
            "The {brand} {type} puts hundreds of games in your hands at home or on the move.",
            "A sharp screen and comfortable grips make long sessions easy.",
          ],
        },
      ],
    },
  ],
};
