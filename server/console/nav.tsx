/** The console's sections. */
export type ConsoleSection =
  | "products"
  | "categories"
  | "orders"
  | "fraud"
  | "forecast"
  | "pricing"
  | "help"
  | "webhooks"
  | "events"
  | "system";

/** The console's section links. */
export function ConsoleNav(props: { current: ConsoleSection }) {
  const links: [ConsoleSection, string, string][] = [
    ["products", "/admin/products", "Products"],
    ["categories", "/admin/categories", "Categories"],
    ["orders", "/admin/orders", "Orders"],
    ["fraud", "/admin/fraud", "Fraud review"],
    ["forecast", "/admin/forecast", "Low stock"],
    ["pricing", "/admin/pricing", "Pricing advice"],
    ["help", "/admin/help", "Help articles"],
    ["webhooks", "/admin/webhooks", "Webhooks"],
    ["events", "/admin/events", "Events"],
    ["system", "/admin/system", "System"],
  ];
  return (
    <nav aria-label="Console" class="cats">
      {links.map(([key, href, label]) => (
        <a href={href} aria-current={key === props.current ? "page" : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}
