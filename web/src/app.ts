/**
 * The storefront's only script: enhancements over pages that already work
 * without it. Autocomplete on the search box, add to cart without leaving the
 * page, and a checkout button that cannot submit twice (the form's
 * idempotency key makes a second submit harmless anyway).
 */

function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number) {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

function setupSuggest(input: HTMLInputElement) {
  const list = document.getElementById("q-suggestions");
  if (!list) return;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  const hide = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  };
  const show = async () => {
    const q = input.value.trim();
    if (q.length < 2) return hide();
    const r = await fetch(`/api/search/suggest?q=${encodeURIComponent(q)}`);
    if (!r.ok) return hide();
    const items = (await r.json()) as { text: string; slug: string }[];
    list.replaceChildren(
      ...items.map((s) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = `/p/${encodeURIComponent(s.slug)}`;
        a.textContent = s.text;
        li.append(a);
        return li;
      }),
    );
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
  };
  input.addEventListener("input", debounce(show, 150));
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && !list.hidden) {
      e.preventDefault();
      list.querySelector("a")?.focus();
    } else if (e.key === "Escape") hide();
  });
  list.addEventListener("keydown", (e) => {
    const current = document.activeElement?.closest("li");
    if (e.key === "ArrowDown") (current?.nextElementSibling?.querySelector("a") ?? null)?.focus();
    else if (e.key === "ArrowUp")
      ((current?.previousElementSibling?.querySelector("a") as HTMLElement | null) ?? input).focus();
    else if (e.key === "Escape") {
      hide();
      input.focus();
    } else return;
    e.preventDefault();
  });
}

function setupAddToCart(form: HTMLFormElement) {
  const status = form.querySelector<HTMLElement>(".add-status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const r = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { accept: "application/json" },
      });
      const body = (await r.json()) as { count?: number; message?: string; error?: string };
      if (status) status.textContent = body.message ?? body.error ?? "";
      const link = document.querySelector<HTMLElement>("[data-cart-link]");
      if (link && body.count !== undefined) link.textContent = `Cart (${body.count})`;
    } catch {
      form.submit(); // the plain form post still works
    } finally {
      if (button) button.disabled = false;
    }
  });
}

function setupCheckout(form: HTMLFormElement) {
  let submitted = false;
  form.addEventListener("submit", (e) => {
    if (submitted) {
      e.preventDefault();
      return;
    }
    submitted = true;
    const button = form.querySelector<HTMLButtonElement>("[data-place-order]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.textContent = "Placing order…";
    }
  });
}

/** Thumbnails swap the large view in place (they are plain links to `?image=N` without the script). */
function setupGallery(gallery: HTMLElement) {
  const main = gallery.querySelector<HTMLImageElement>("[data-gallery-main]");
  if (!main) return;
  gallery.addEventListener("click", (e) => {
    const link = (e.target as Element).closest<HTMLAnchorElement>("a[data-gallery-thumb]");
    if (!link || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    const thumb = link.querySelector("img");
    if (!thumb) return;
    main.src = thumb.src;
    main.alt = main.alt.replace(/view \d+ of/, `view ${Number(link.dataset.galleryThumb) + 1} of`);
    for (const a of gallery.querySelectorAll("a[data-gallery-thumb]")) a.removeAttribute("aria-current");
    link.setAttribute("aria-current", "true");
    history.replaceState(null, "", link.href);
  });
}

for (const g of document.querySelectorAll<HTMLElement>("[data-gallery]")) setupGallery(g);
const q = document.querySelector<HTMLInputElement>("input[data-suggest]");
if (q) setupSuggest(q);
for (const f of document.querySelectorAll<HTMLFormElement>("form[data-add-to-cart]")) setupAddToCart(f);
for (const f of document.querySelectorAll<HTMLFormElement>("form[data-checkout]")) setupCheckout(f);
