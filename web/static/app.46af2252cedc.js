function d(e, t) {
  let r;
  return (...n) => {
    clearTimeout(r), (r = setTimeout(() => e(...n), t));
  };
}
function m(e) {
  const t = document.getElementById("q-suggestions");
  if (!t) return;
  e.setAttribute("role", "combobox"),
    e.setAttribute("aria-autocomplete", "list"),
    e.setAttribute("aria-controls", t.id),
    e.setAttribute("aria-expanded", "false");
  const r = () => {
      (t.hidden = !0), e.setAttribute("aria-expanded", "false");
    },
    n = async () => {
      const o = e.value.trim();
      if (o.length < 2) return r();
      const s = await fetch(`/api/search/suggest?q=${encodeURIComponent(o)}`);
      if (!s.ok) return r();
      const a = await s.json();
      t.replaceChildren(
        ...a.map((c) => {
          const i = document.createElement("li"),
            u = document.createElement("a");
          return ((u.href = `/p/${encodeURIComponent(c.slug)}`), (u.textContent = c.text), i.append(u), i);
        }),
      ),
        (t.hidden = a.length === 0),
        e.setAttribute("aria-expanded", String(a.length > 0));
    };
  e.addEventListener("input", d(n, 150)),
    e.addEventListener("keydown", (o) => {
      if (o.key === "ArrowDown" && !t.hidden) o.preventDefault(), t.querySelector("a")?.focus();
      else if (o.key === "Escape") r();
    }),
    t.addEventListener("keydown", (o) => {
      const s = document.activeElement?.closest("li");
      if (o.key === "ArrowDown") (s?.nextElementSibling?.querySelector("a") ?? null)?.focus();
      else if (o.key === "ArrowUp") (s?.previousElementSibling?.querySelector("a") ?? e).focus();
      else if (o.key === "Escape") r(), e.focus();
      else return;
      o.preventDefault();
    });
}
function f(e) {
  const t = e.querySelector(".add-status");
  e.addEventListener("submit", async (r) => {
    r.preventDefault();
    const n = e.querySelector("button[type=submit]");
    if (n) n.disabled = !0;
    try {
      const s = await (
        await fetch(e.action, {
          method: "POST",
          body: new FormData(e),
          headers: { accept: "application/json" },
        })
      ).json();
      if (t) t.textContent = s.message ?? s.error ?? "";
      const a = document.querySelector("[data-cart-link]");
      if (a && s.count !== void 0) a.textContent = `Cart (${s.count})`;
    } catch {
      e.submit();
    } finally {
      if (n) n.disabled = !1;
    }
  });
}
function b(e) {
  let t = !1;
  e.addEventListener("submit", (r) => {
    if (t) {
      r.preventDefault();
      return;
    }
    t = !0;
    const n = e.querySelector("[data-place-order]");
    if (n) n.setAttribute("aria-disabled", "true"), (n.textContent = "Placing order…");
  });
}
var l = document.querySelector("input[data-suggest]");
if (l) m(l);
for (const e of document.querySelectorAll("form[data-add-to-cart]")) f(e);
for (const e of document.querySelectorAll("form[data-checkout]")) b(e);
