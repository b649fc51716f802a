/** The console's section links. */
export function ConsoleNav(props: {
  current: "products" | "orders" | "fraud" | "forecast" | "help" | "events" | "system";
}) {
  const links: [typeof props.current, string, string][] = [
    ["products", "/admin/products", "Products"],
    ["orders", "/admin/orders", "Orders"],
    ["fraud", "/admin/fraud", "Fraud review"],
    ["forecast", "/admin/forecast", "Low stock"],
    ["help", "/admin/help", "Help articles"],
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
