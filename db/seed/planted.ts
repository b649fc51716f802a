/**
 * Hand-placed products that open every demo catalog (the first ids), so that
 * narrow searches have a known answer at any catalog size. Their model names
 * are not in MODEL_NAMES, so no generated product shares them. Everything
 * else about them (description, prices, stock, reviews) is generated as for
 * any other product.
 */
export interface PlantedProduct {
  type: string;
  brand: string;
  model: string;
  feature?: string;
  material?: string;
  spec?: string;
  colour?: string;
}

export const PLANTED: PlantedProduct[] = [
  {
    type: "Over-Ear Headphones",
    brand: "Auralis",
    model: "Quietude 900",
    feature: "Noise-Cancelling",
    colour: "Black",
  },
  { type: "Running Shoes", brand: "Pacer", model: "Marisol", feature: "Cushioned", colour: "Blue" },
  {
    type: "Sofa",
    brand: "Linden & Co",
    model: "Sorrento",
    material: "Velvet",
    spec: "3-Seater",
    colour: "Sage Green",
  },
  {
    type: "Electric Kettle",
    brand: "Brava",
    model: "Larkspur",
    feature: "Cordless",
    spec: "1.7 L",
    colour: "Cream",
  },
  {
    type: "Notebook Sleeve",
    brand: "Carrywell",
    model: "Gossamer",
    material: "Felt",
    spec: "13-inch",
    colour: "Grey",
  },
  {
    type: "Laptop Bag",
    brand: "Nomadica",
    model: "Wanderlust",
    feature: "Water-Resistant",
    material: "Leather",
    spec: "15-inch",
    colour: "Navy",
  },
  { type: "Smartphone", brand: "Novaro", model: "Moonstone", feature: "5G", colour: "Midnight Blue" },
  {
    type: "Laptop",
    brand: "Cirrus",
    model: "Thornbury",
    feature: "Ultralight",
    spec: "14-inch",
    colour: "Silver",
  },
  {
    type: "Yoga Mat",
    brand: "Zenmat",
    model: "Tamarind",
    feature: "Non-Slip",
    material: "Cork",
    colour: "Green",
  },
  { type: "Dining Table", brand: "Hearthwood", model: "Calloway", material: "Oak", spec: "Extendable" },
  {
    type: "Backpacking Tent",
    brand: "Ridgeline",
    model: "Kilimanjaro",
    feature: "Four-Season",
    spec: "2-Person",
    colour: "Orange",
  },
  { type: "Road Bike", brand: "Velocita", model: "Brightwater", material: "Carbon", colour: "Red" },
  { type: "Dutch Oven", brand: "Ironleaf", model: "Bellweather", material: "Cast Iron", spec: "28 cm" },
  { type: "OLED TV", brand: "Vistara", model: "Sundial", feature: "4K", spec: "65-inch" },
  { type: "Robot Vacuum", brand: "Tidewell", model: "Everest", feature: "Self-Emptying", colour: "White" },
  {
    type: "Wrap Dress",
    brand: "Marlowe",
    model: "Primrose",
    feature: "Floral",
    material: "Linen",
    colour: "Sky Blue",
  },
  {
    type: "Notebook",
    brand: "Papergrove",
    model: "Foxglove",
    feature: "Dotted",
    spec: "A5",
    colour: "Black",
  },
  { type: "Cordless Drill", brand: "Torqline", model: "Ironbark", feature: "Brushless", spec: "18 V" },
  { type: "GPS Running Watch", brand: "Pulsefit", model: "Ventana", feature: "Waterproof", colour: "Black" },
  { type: "Dog Bed", brand: "Whiskerwood", model: "Hearthrug", material: "Plush", colour: "Grey" },
];
