/**
 * The benchmark's response bodies: `/api/small` (~200 B JSON) and `/api/large`
 * (~20 KB JSON), served by the upstream app and by the Bun floor server.
 */

/** ~200 B of JSON, a product as the catalog sends it. */
export const small = JSON.stringify({
  id: 1042,
  sku: "TSHIRT-BLK-M",
  name: "T-shirt, black, M",
  price: { amount: 1999, currency: "EUR" },
  stock: 17,
  tags: ["apparel", "cotton"],
  updatedAt: "2026-01-01T00:00:00Z",
});

function makeLarge(): string {
  const items = [];
  for (let i = 0; items.length === 0 || JSON.stringify(items).length < 20_000; i++)
    items.push({
      id: i,
      sku: `SKU-${i}`,
      name: `Product number ${i}`,
      price: { amount: 999 + i, currency: "EUR" },
      stock: i % 50,
    });
  return JSON.stringify({ items, total: items.length });
}

/** ~20 KB of JSON, a listing page. */
export const large = makeLarge();
