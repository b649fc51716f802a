/** PromQL pieces the dashboard specs share. */
export const R = "[$__rate_interval]";
/** `part / whole`, with an empty whole giving 0 instead of NaN. */
export const ratio = (part: string, whole: string) => `(${part}) / clamp_min(${whole}, 1e-9)`;
/** The checkout route's labels on the app's request series. */
export const checkoutRoute = 'route="/api/checkout", method="POST"';
