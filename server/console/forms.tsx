import type { ApiReply } from "../storefront/session.ts";

/** A problem+json answer of the API, as much as a form needs. */
interface Problem {
  detail?: string;
  errors?: { path: string; message: string }[];
}

/**
 * What to tell the operator when the API refused a console form: the
 * problem's detail and each field error ("variants.0.price.amount: too big").
 */
export function problemText(r: ApiReply): string {
  const p = (r.body ?? {}) as Problem;
  const fields = (p.errors ?? []).map((e) => `${e.path}: ${e.message}`).join("; ");
  return [p.detail ?? `The change was refused (HTTP ${r.status}).`, fields].filter(Boolean).join(" ");
}

/** The HTTP status a re-rendered console form answers with: the API's 4xx, else 422. */
export function formStatus(r: ApiReply): 400 | 404 | 409 | 422 {
  return r.status === 400 || r.status === 404 || r.status === 409 ? r.status : 422;
}

/** Image URLs typed one per line (blank lines dropped). */
export function imageLines(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The form's error, announced to screen readers. */
export function FormError(props: { error: string | null | undefined }) {
  return props.error ? (
    <p class="error" role="alert" data-form-error="">
      {props.error}
    </p>
  ) : null;
}

/** Category choices for the product forms. */
export function CategorySelect(props: {
  id: string;
  categories: { slug: string; name: string }[];
  selected?: string | undefined;
}) {
  return (
    <select id={props.id} name="category" required>
      {props.categories.map((cat) => (
        <option value={cat.slug} selected={cat.slug === props.selected}>
          {cat.name} ({cat.slug})
        </option>
      ))}
    </select>
  );
}
