// Storefront: lists products from the API and formats prices from integer minor units.
const money = (minor, currency) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);

async function loadProducts() {
  const grid = document.querySelector("#products");
  const status = document.querySelector("#status");
  try {
    const res = await fetch("/api/products?limit=12", { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    const items = body.items ?? body.data ?? [];
    status.textContent = items.length ? "" : "No products yet.";
    for (const p of items) {
      const card = document.createElement("article");
      card.className = "card";
      const h = document.createElement("h2");
      h.textContent = p.name ?? p.title ?? "Product";
      const price = document.createElement("p");
      price.className = "price";
      if (p.price && typeof p.price === "object") price.textContent = money(p.price.amount, p.price.currency);
      else if (typeof p.priceMinor === "number") price.textContent = money(p.priceMinor, p.currency ?? "EUR");
      card.append(h, price);
      grid.append(card);
    }
  } catch (err) {
    status.textContent = `Could not load products (${err.message}).`;
  }
}

document.addEventListener("DOMContentLoaded", loadProducts);
