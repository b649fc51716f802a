var Bo = "u-hz",
  Yo = "u-vt",
  Uo = "u-title",
  Ko = "u-wrap",
  jo = "u-under",
  $o = "u-over",
  qo = "u-axis",
  Qt = "u-off",
  Jo = "u-select",
  Zo = "u-cursor-x",
  Qo = "u-cursor-y",
  Xo = "u-cursor-pt",
  er = "u-legend",
  tr = "u-live",
  lr = "u-inline",
  nr = "u-series",
  ir = "u-marker",
  Bi = "u-label",
  sr = "u-value";
var Yi = "#0000";
var El = typeof window < "u",
  Bn = El ? document : null,
  Tl = El ? window : null,
  or = El ? navigator : null,
  oe,
  en;
function Yn() {
  const e = devicePixelRatio;
  if (oe != e)
    (oe = e),
      en && Kn("change", en, Yn),
      (en = matchMedia(`(min-resolution: ${oe - 0.001}dppx) and (max-resolution: ${oe + 0.001}dppx)`)),
      Xt("change", en, Yn),
      Tl.dispatchEvent(new CustomEvent("dppxchange"));
}
function et(e, n) {
  if (n != null) {
    const s = e.classList;
    !s.contains(n) && s.add(n);
  }
}
function Un(e, n) {
  const s = e.classList;
  s.contains(n) && s.remove(n);
}
function we(e, n, s) {
  e.style[n] = s + "px";
}
function dt(e, n, s, l) {
  const o = Bn.createElement(e);
  if (n != null) et(o, n);
  if (s != null) s.insertBefore(o, l);
  return o;
}
function ut(e, n) {
  return dt("div", e, n);
}
var Ui = new WeakMap();
function Mt(e, n, s, l, o) {
  const a = "translate(" + n + "px," + s + "px)",
    u = Ui.get(e);
  if (a != u)
    if (((e.style.transform = a), Ui.set(e, a), n < 0 || s < 0 || n > l || s > o)) et(e, Qt);
    else Un(e, Qt);
}
var Ki = new WeakMap();
function ji(e, n, s) {
  const l = n + s,
    o = Ki.get(e);
  if (l != o) Ki.set(e, l), (e.style.background = n), (e.style.borderColor = s);
}
var $i = new WeakMap();
function qi(e, n, s, l) {
  const o = n + "" + s,
    a = $i.get(e);
  if (o != a)
    $i.set(e, o),
      (e.style.height = s + "px"),
      (e.style.width = n + "px"),
      (e.style.marginLeft = l ? -n / 2 + "px" : 0),
      (e.style.marginTop = l ? -s / 2 + "px" : 0);
}
var Xn = { passive: !0 },
  rr = { ...Xn, capture: !0 };
function Xt(e, n, s, l) {
  n.addEventListener(e, s, l ? rr : Xn);
}
function Kn(e, n, s, l) {
  n.removeEventListener(e, s, Xn);
}
El && Yn();
function wt(e, n, s, l) {
  let o;
  (s = s || 0), (l = l || n.length - 1);
  const a = l <= 2147483647;
  while (l - s > 1)
    if (((o = a ? (s + l) >> 1 : tt((s + l) / 2)), n[o] < e)) s = o;
    else l = o;
  if (e - n[s] <= n[l] - e) return s;
  return l;
}
function ks(e) {
  return (s, l, o) => {
    let a = -1,
      u = -1;
    for (let p = l; p <= o; p++)
      if (e(s[p])) {
        a = p;
        break;
      }
    for (let p = o; p >= l; p--)
      if (e(s[p])) {
        u = p;
        break;
      }
    return [a, u];
  };
}
var bs = (e) => e != null,
  xs = (e) => e != null && e > 0,
  rn = ks(bs),
  fr = ks(xs);
function ur(e, n, s, l = 0, o = !1) {
  const a = o ? fr : rn,
    u = o ? xs : bs;
  [n, s] = a(e, n, s);
  let p = e[n],
    m = e[n];
  if (n > -1)
    if (l == 1) (p = e[n]), (m = e[s]);
    else if (l == -1) (p = e[s]), (m = e[n]);
    else
      for (let g = n; g <= s; g++) {
        const y = e[g];
        if (u(y)) {
          if (y < p) p = y;
          else if (y > m) m = y;
        }
      }
  return [p ?? ae, m ?? -ae];
}
function fn(e, n, s, l) {
  const o = Qi(e),
    a = Qi(n);
  if (e == n)
    if (o == -1) (e *= s), (n /= s);
    else (e /= s), (n *= s);
  let u = s == 10 ? Pt : Ms,
    p = o == 1 ? tt : ct,
    m = a == 1 ? ct : tt,
    g = p(u(De(e))),
    y = m(u(De(n))),
    d = kl(s, g),
    w = kl(s, y);
  if (s == 10) {
    if (g < 0) d = pe(d, -g);
    if (y < 0) w = pe(w, -y);
  }
  if (l || s == 2) (e = d * o), (n = w * a);
  else (e = Ps(e, d)), (n = un(n, w));
  return [e, n];
}
function ei(e, n, s, l) {
  const o = fn(e, n, s, l);
  if (e == 0) o[0] = 0;
  if (n == 0) o[1] = 0;
  return o;
}
var ti = 0.1,
  Ji = { mode: 3, pad: ti },
  Wl = { pad: 0, soft: null, mode: 0 },
  cr = { min: Wl, max: Wl };
function sn(e, n, s, l) {
  if (cn(s)) return Zi(e, n, s);
  return ((Wl.pad = s), (Wl.soft = l ? 0 : null), (Wl.mode = l ? 3 : 0), Zi(e, n, cr));
}
function ie(e, n) {
  return e == null ? n : e;
}
function ar(e, n, s) {
  (n = ie(n, 0)), (s = ie(s, e.length - 1));
  while (n <= s) {
    if (e[n] != null) return !0;
    n++;
  }
  return !1;
}
function Zi(e, n, s) {
  let { min: l, max: o } = s,
    a = ie(l.pad, 0),
    u = ie(o.pad, 0),
    p = ie(l.hard, -ae),
    m = ie(o.hard, ae),
    g = ie(l.soft, ae),
    y = ie(o.soft, -ae),
    d = ie(l.mode, 0),
    w = ie(o.mode, 0),
    L = n - e,
    P = Pt(L),
    z = Ue(De(e), De(n)),
    N = Pt(z),
    I = De(N - P);
  if (L < 0.000000000000000000000001 || I > 10) {
    if (((L = 0), e == 0 || n == 0)) {
      if (((L = 0.000000000000000000000001), d == 2 && g != ae)) a = 0;
      if (w == 2 && y != -ae) u = 0;
    }
  }
  let T = L || z || 1000,
    O = Pt(T),
    k = kl(10, tt(O)),
    q = T * (L == 0 ? (e == 0 ? 0.1 : 1) : a),
    D = pe(Ps(e - q, k / 10), 24),
    J = e >= g && (d == 1 || (d == 3 && D <= g) || (d == 2 && D >= g)) ? g : ae,
    U = Ue(p, D < J && e >= J ? J : St(J, D)),
    X = T * (L == 0 ? (n == 0 ? 0.1 : 1) : u),
    Y = pe(un(n + X, k / 10), 24),
    b = n <= y && (w == 1 || (w == 3 && Y >= y) || (w == 2 && Y <= y)) ? y : -ae,
    j = St(m, Y > b && n <= b ? b : Ue(b, Y));
  if (U == j && U == 0) j = 100;
  return [U, j];
}
var pr = new Intl.NumberFormat(El ? or.language : "en-US"),
  li = (e) => pr.format(e),
  lt = Math,
  {
    PI: nn,
    abs: De,
    floor: tt,
    round: Ae,
    ceil: ct,
    min: St,
    max: Ue,
    pow: kl,
    sign: Qi,
    log10: Pt,
    log2: Ms,
  } = lt,
  hr = (e, n = 1) => lt.sinh(e) * n,
  Nn = (e, n = 1) => lt.asinh(e / n),
  ae = 1 / 0;
function Xi(e) {
  return (Pt((e ^ (e >> 31)) - (e >> 31)) | 0) + 1;
}
function jn(e, n, s) {
  return St(Ue(e, n), s);
}
function Es(e) {
  return typeof e == "function";
}
function ee(e) {
  return Es(e) ? e : () => e;
}
var mr = () => {},
  As = (e) => e,
  Ds = (e, n) => n,
  gr = (e) => null,
  es = (e) => !0,
  ts = (e, n) => e == n,
  dr = /\.\d*?(?=9{6,}|0{6,})/gm,
  el = (e) => {
    if (Cs(e) || Nt.has(e)) return e;
    const n = `${e}`,
      s = n.match(dr);
    if (s == null) return e;
    const l = s[0].length - 1;
    if (n.indexOf("e-") != -1) {
      const [o, a] = n.split("e");
      return +`${el(o)}e${a}`;
    }
    return pe(e, l);
  };
function Jt(e, n) {
  return el(pe(el(e / n)) * n);
}
function un(e, n) {
  return el(ct(el(e / n)) * n);
}
function Ps(e, n) {
  return el(tt(el(e / n)) * n);
}
function pe(e, n = 0) {
  if (Cs(e)) return e;
  const s = 10 ** n,
    l = e * s * (1 + Number.EPSILON);
  return Ae(l) / s;
}
var Nt = new Map();
function Ls(e) {
  return (("" + e).split(".")[1] || "").length;
}
function Gl(e, n, s, l) {
  const o = [],
    a = l.map(Ls);
  for (let u = n; u < s; u++) {
    const p = De(u),
      m = pe(kl(e, u), p);
    for (let g = 0; g < l.length; g++) {
      const y = e == 10 ? +`${l[g]}e${u}` : l[g] * m,
        d = (u >= 0 ? 0 : p) + (u >= a[g] ? 0 : a[g]),
        w = e == 10 ? y : pe(y, d);
      o.push(w), Nt.set(w, d);
    }
  }
  return o;
}
var Il = {},
  ni = [],
  bl = [null, null],
  Ot = Array.isArray,
  Cs = Number.isInteger,
  wr = (e) => e === void 0;
function ls(e) {
  return typeof e == "string";
}
function cn(e) {
  let n = !1;
  if (e != null) {
    const s = e.constructor;
    n = s == null || s == Object;
  }
  return n;
}
function Sr(e) {
  return e != null && typeof e == "object";
}
var _r = Object.getPrototypeOf(Uint8Array),
  Hs = "__proto__";
function xl(e, n = cn) {
  let s;
  if (Ot(e)) {
    const l = e.find((o) => o != null);
    if (Ot(l) || n(l)) {
      s = Array(e.length);
      for (let o = 0; o < e.length; o++) s[o] = xl(e[o], n);
    } else s = e.slice();
  } else if (e instanceof _r) s = e.slice();
  else if (n(e)) {
    s = {};
    for (const l in e) if (l != Hs) s[l] = xl(e[l], n);
  } else s = e;
  return s;
}
function xe(e) {
  const n = arguments;
  for (let s = 1; s < n.length; s++) {
    const l = n[s];
    for (const o in l)
      if (o != Hs)
        if (cn(e[o])) xe(e[o], xl(l[o]));
        else e[o] = xl(l[o]);
  }
  return e;
}
var yr = 0,
  vr = 1,
  Tr = 2;
function kr(e, n, s) {
  for (let l = 0, o, a = -1; l < n.length; l++) {
    const u = n[l];
    if (u > a) {
      o = u - 1;
      while (o >= 0 && e[o] == null) e[o--] = null;
      o = u + 1;
      while (o < s && e[o] == null) e[(a = o++)] = null;
    }
  }
}
function br(e, n) {
  if (Er(e)) {
    let u = e[0].slice();
    for (let p = 1; p < e.length; p++) u.push(...e[p].slice(1));
    if (!Ar(u[0])) u = Mr(u);
    return u;
  }
  const s = new Set();
  for (let u = 0; u < e.length; u++) {
    const m = e[u][0],
      g = m.length;
    for (let y = 0; y < g; y++) s.add(m[y]);
  }
  const l = [Array.from(s).sort((u, p) => u - p)],
    o = l[0].length,
    a = new Map();
  for (let u = 0; u < o; u++) a.set(l[0][u], u);
  for (let u = 0; u < e.length; u++) {
    const p = e[u],
      m = p[0];
    for (let g = 1; g < p.length; g++) {
      const y = p[g],
        d = Array(o).fill(void 0),
        w = n ? n[u][g] : vr,
        L = [];
      for (let P = 0; P < y.length; P++) {
        const z = y[P],
          N = a.get(m[P]);
        if (z === null) {
          if (w != yr) {
            if (((d[N] = z), w == Tr)) L.push(N);
          }
        } else d[N] = z;
      }
      kr(d, L, o), l.push(d);
    }
  }
  return l;
}
var xr = typeof queueMicrotask > "u" ? (e) => Promise.resolve().then(e) : queueMicrotask;
function Mr(e) {
  const n = e[0],
    s = n.length,
    l = Array(s);
  for (let a = 0; a < l.length; a++) l[a] = a;
  l.sort((a, u) => n[a] - n[u]);
  const o = [];
  for (let a = 0; a < e.length; a++) {
    const u = e[a],
      p = Array(s);
    for (let m = 0; m < s; m++) p[m] = u[l[m]];
    o.push(p);
  }
  return o;
}
function Er(e) {
  const n = e[0][0],
    s = n.length;
  for (let l = 1; l < e.length; l++) {
    const o = e[l][0];
    if (o.length != s) return !1;
    if (o != n) {
      for (let a = 0; a < s; a++) if (o[a] != n[a]) return !1;
    }
  }
  return !0;
}
function Ar(e, n = 100) {
  const s = e.length;
  if (s <= 1) return !0;
  let l = 0,
    o = s - 1;
  while (l <= o && e[l] == null) l++;
  while (o >= l && e[o] == null) o--;
  if (o <= l) return !0;
  const a = Ue(1, tt((o - l + 1) / n));
  for (let u = e[l], p = l + a; p <= o; p += a) {
    const m = e[p];
    if (m != null) {
      if (m <= u) return !1;
      u = m;
    }
  }
  return !0;
}
var Fs = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
  Rs = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
function Vs(e) {
  return e.slice(0, 3);
}
var Dr = Rs.map(Vs),
  Pr = Fs.map(Vs),
  Lr = { MMMM: Fs, MMM: Pr, WWWW: Rs, WWW: Dr };
function Ol(e) {
  return (e < 10 ? "0" : "") + e;
}
function Cr(e) {
  return (e < 10 ? "00" : e < 100 ? "0" : "") + e;
}
var Hr = {
  YYYY: (e) => e.getFullYear(),
  YY: (e) => (e.getFullYear() + "").slice(2),
  MMMM: (e, n) => n.MMMM[e.getMonth()],
  MMM: (e, n) => n.MMM[e.getMonth()],
  MM: (e) => Ol(e.getMonth() + 1),
  M: (e) => e.getMonth() + 1,
  DD: (e) => Ol(e.getDate()),
  D: (e) => e.getDate(),
  WWWW: (e, n) => n.WWWW[e.getDay()],
  WWW: (e, n) => n.WWW[e.getDay()],
  HH: (e) => Ol(e.getHours()),
  H: (e) => e.getHours(),
  h: (e) => {
    const n = e.getHours();
    return n == 0 ? 12 : n > 12 ? n - 12 : n;
  },
  AA: (e) => (e.getHours() >= 12 ? "PM" : "AM"),
  aa: (e) => (e.getHours() >= 12 ? "pm" : "am"),
  a: (e) => (e.getHours() >= 12 ? "p" : "a"),
  mm: (e) => Ol(e.getMinutes()),
  m: (e) => e.getMinutes(),
  ss: (e) => Ol(e.getSeconds()),
  s: (e) => e.getSeconds(),
  fff: (e) => Cr(e.getMilliseconds()),
};
function ii(e, n) {
  n = n || Lr;
  let s = [],
    l = /\{([a-z]+)\}|[^{]+/gi,
    o;
  while ((o = l.exec(e))) s.push(o[0][0] == "{" ? Hr[o[1]] : o[0]);
  return (a) => {
    let u = "";
    for (let p = 0; p < s.length; p++) u += typeof s[p] == "string" ? s[p] : s[p](a, n);
    return u;
  };
}
var Fr = new Intl.DateTimeFormat().resolvedOptions().timeZone;
function Rr(e, n) {
  let s;
  if (n == "UTC" || n == "Etc/UTC") s = new Date(+e + e.getTimezoneOffset() * 60000);
  else if (n == Fr) s = e;
  else (s = new Date(e.toLocaleString("en-US", { timeZone: n }))), s.setMilliseconds(e.getMilliseconds());
  return s;
}
var zs = (e) => e % 1 == 0,
  on = [1, 2, 2.5, 5],
  Vr = Gl(10, -32, 0, on),
  Os = Gl(10, 0, 32, on),
  zr = Os.filter(zs),
  Zt = Vr.concat(Os),
  si = `
`,
  Ns = "{YYYY}",
  ns = si + Ns,
  Ws = "{M}/{D}",
  Nl = si + Ws,
  tn = Nl + "/{YY}",
  Is = "{aa}",
  Or = "{h}:{mm}",
  vl = Or + Is,
  is = si + vl,
  ss = ":{ss}",
  fe = null;
function Gs(e) {
  const n = e * 1000,
    s = n * 60,
    l = s * 60,
    o = l * 24,
    a = o * 30,
    u = o * 365,
    m = (e == 1 ? Gl(10, 0, 3, on).filter(zs) : Gl(10, -3, 0, on)).concat([
      n,
      n * 5,
      n * 10,
      n * 15,
      n * 30,
      s,
      s * 5,
      s * 10,
      s * 15,
      s * 30,
      l,
      l * 2,
      l * 3,
      l * 4,
      l * 6,
      l * 8,
      l * 12,
      o,
      o * 2,
      o * 3,
      o * 4,
      o * 5,
      o * 6,
      o * 7,
      o * 8,
      o * 9,
      o * 10,
      o * 15,
      a,
      a * 2,
      a * 3,
      a * 4,
      a * 6,
      u,
      u * 2,
      u * 5,
      u * 10,
      u * 25,
      u * 50,
      u * 100,
    ]),
    g = [
      [u, Ns, fe, fe, fe, fe, fe, fe, 1],
      [o * 28, "{MMM}", ns, fe, fe, fe, fe, fe, 1],
      [o, Ws, ns, fe, fe, fe, fe, fe, 1],
      [l, "{h}" + Is, tn, fe, Nl, fe, fe, fe, 1],
      [s, vl, tn, fe, Nl, fe, fe, fe, 1],
      [n, ss, tn + " " + vl, fe, Nl + " " + vl, fe, is, fe, 1],
      [e, ss + ".{fff}", tn + " " + vl, fe, Nl + " " + vl, fe, is, fe, 1],
    ];
  function y(d) {
    return (w, L, P, z, N, I) => {
      const T = [],
        O = N >= u,
        k = N >= a && N < u,
        q = d(P),
        D = pe(q * e, 3),
        J = Wn(q.getFullYear(), O ? 0 : q.getMonth(), k || O ? 1 : q.getDate()),
        U = pe(J * e, 3);
      if (k || O) {
        let X = k ? N / a : 0,
          Y = O ? N / u : 0,
          b = D == U ? D : pe(Wn(J.getFullYear() + Y, J.getMonth() + X, 1) * e, 3),
          j = new Date(Ae(b / e)),
          C = j.getFullYear(),
          G = j.getMonth();
        for (let V = 0; b <= z; V++) {
          const te = Wn(C + Y * V, G + X * V, 1),
            R = te - d(pe(te * e, 3));
          if (((b = pe((+te + R) * e, 3)), b <= z)) T.push(b);
        }
      } else {
        let X = N >= o ? o : N,
          Y = tt(P) - tt(D),
          b = U + Y + un(D - U, X);
        T.push(b);
        let j = d(b),
          C = j.getHours() + j.getMinutes() / s + j.getSeconds() / l,
          G = N / l,
          V = w.axes[L]._space,
          te = I / V;
        while (!0) {
          if (((b = pe(b + N, e == 1 ? 0 : 3)), b > z)) break;
          if (G > 1) {
            let R = tt(pe(C + G, 6)) % 24,
              le = d(b).getHours() - R;
            if (le > 1) le = -1;
            (b -= le * l), (C = (C + G) % 24);
            const ue = T[T.length - 1];
            if (pe((b - ue) / N, 3) * te >= 0.7) T.push(b);
          } else T.push(b);
        }
      }
      return T;
    };
  }
  return [m, g, y];
}
var [Nr, Wr, Ir] = Gs(1),
  [Gr, Br, Yr] = Gs(0.001);
Gl(2, -53, 53, [1]);
function os(e, n) {
  return e.map((s) =>
    s.map((l, o) => (o == 0 || o == 8 || l == null ? l : n(o == 1 || s[8] == 0 ? l : s[1] + l))),
  );
}
function rs(e, n) {
  return (s, l, o, a, u) => {
    let p = n.find((P) => u >= P[0]) || n[n.length - 1],
      m,
      g,
      y,
      d,
      w,
      L;
    return l.map((P) => {
      const z = e(P),
        N = z.getFullYear(),
        I = z.getMonth(),
        T = z.getDate(),
        O = z.getHours(),
        k = z.getMinutes(),
        q = z.getSeconds(),
        D =
          (N != m && p[2]) ||
          (I != g && p[3]) ||
          (T != y && p[4]) ||
          (O != d && p[5]) ||
          (k != w && p[6]) ||
          (q != L && p[7]) ||
          p[1];
      return ((m = N), (g = I), (y = T), (d = O), (w = k), (L = q), D(z));
    });
  };
}
function Ur(e, n) {
  const s = ii(n);
  return (l, o, a, u, p) => o.map((m) => s(e(m)));
}
function Wn(e, n, s) {
  return new Date(e, n, s);
}
function fs(e, n) {
  return n(e);
}
var Kr = "{YYYY}-{MM}-{DD} {h}:{mm}{aa}";
function us(e, n) {
  return (s, l, o, a) => (a == null ? "--" : n(e(l)));
}
function jr(e, n) {
  const s = e.series[n];
  return s.width ? s.stroke(e, n) : s.points.width ? s.points.stroke(e, n) : null;
}
function $r(e, n) {
  return e.series[n].fill(e, n);
}
var qr = {
  show: !0,
  live: !0,
  isolate: !1,
  mount: mr,
  markers: { show: !0, width: 2, stroke: jr, fill: $r, dash: "solid" },
  idx: null,
  idxs: null,
  values: [],
};
function Jr(e, n) {
  const s = e.cursor.points,
    l = ut(),
    o = s.size(e, n);
  we(l, "width", o), we(l, "height", o);
  const a = o / -2;
  we(l, "marginLeft", a), we(l, "marginTop", a);
  const u = s.width(e, n, o);
  return (u && we(l, "borderWidth", u), l);
}
function Zr(e, n) {
  const s = e.series[n].points;
  return s._fill || s._stroke;
}
function Qr(e, n) {
  const s = e.series[n].points;
  return s._stroke || s._fill;
}
function Xr(e, n) {
  return e.series[n].points.size;
}
var In = [0, 0];
function ef(e, n, s) {
  return ((In[0] = n), (In[1] = s), In);
}
function ln(e, n, s, l = !0) {
  return (o) => {
    o.button == 0 && (!l || o.target == n) && s(o);
  };
}
function Gn(e, n, s, l = !0) {
  return (o) => {
    (!l || o.target == n) && s(o);
  };
}
var tf = {
    show: !0,
    x: !0,
    y: !0,
    lock: !1,
    move: ef,
    points: { one: !1, show: Jr, size: Xr, width: 0, stroke: Qr, fill: Zr },
    bind: {
      mousedown: ln,
      mouseup: ln,
      click: ln,
      dblclick: ln,
      mousemove: Gn,
      mouseleave: Gn,
      mouseenter: Gn,
    },
    drag: {
      setScale: !0,
      x: !0,
      y: !1,
      dist: 0,
      uni: null,
      click: (e, n) => {
        n.stopPropagation(), n.stopImmediatePropagation();
      },
      _x: !1,
      _y: !1,
    },
    focus: { dist: (e, n, s, l, o) => l - o, prox: -1, bias: 0 },
    hover: { skip: [void 0], prox: null, bias: 0 },
    left: -10,
    top: -10,
    idx: null,
    dataIdx: null,
    idxs: null,
    event: null,
  },
  Bs = { show: !0, stroke: "rgba(0,0,0,0.07)", width: 2 },
  oi = xe({}, Bs, { filter: Ds }),
  Ys = xe({}, oi, { size: 10 }),
  Us = xe({}, Bs, { show: !1 }),
  ri =
    '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji"',
  Ks = "bold " + ri,
  js = 1.5,
  cs = {
    show: !0,
    scale: "x",
    stroke: "#000",
    space: 50,
    gap: 5,
    alignTo: 1,
    size: 50,
    labelGap: 0,
    labelSize: 30,
    labelFont: Ks,
    side: 2,
    grid: oi,
    ticks: Ys,
    border: Us,
    font: ri,
    lineGap: js,
    rotate: 0,
  },
  lf = "Value",
  nf = "Time",
  as = { show: !0, scale: "x", auto: !1, sorted: 1, min: ae, max: -ae, idxs: [] };
function sf(e, n, s, l, o) {
  return n.map((a) => (a == null ? "" : li(a)));
}
function of(e, n, s, l, o, a, u) {
  const p = [],
    m = Nt.get(o) || 0;
  s = u ? s : pe(un(s, o), m);
  for (let g = s; g <= l; g = pe(g + o, m)) p.push(Object.is(g, -0) ? 0 : g);
  return p;
}
function $n(e, n, s, l, o, a, u) {
  const p = [],
    m = e.scales[e.axes[n].scale].log,
    g = m == 10 ? Pt : Ms,
    y = tt(g(s));
  if (((o = kl(m, y)), m == 10)) o = Zt[wt(o, Zt)];
  let d = s,
    w = o * m;
  if (m == 10) w = Zt[wt(w, Zt)];
  do {
    if ((p.push(d), (d = d + o), m == 10 && !Nt.has(d))) d = pe(d, Nt.get(o));
    if (d >= w) {
      if (((o = d), (w = o * m), m == 10)) w = Zt[wt(w, Zt)];
    }
  } while (d <= l);
  return p;
}
function rf(e, n, s, l, o, a, u) {
  const m = e.scales[e.axes[n].scale].asinh,
    g = l > m ? $n(e, n, Ue(m, s), l, o) : [m],
    y = l >= 0 && s <= 0 ? [0] : [];
  return (s < -m ? $n(e, n, Ue(m, -l), -s, o) : [m])
    .reverse()
    .map((w) => -w)
    .concat(y, g);
}
var $s = /./,
  ff = /[12357]/,
  uf = /[125]/,
  ps = /1/,
  qn = (e, n, s, l) =>
    e.map((o, a) =>
      (n == 4 && o == 0) || (a % l == 0 && s.test(o.toExponential()[o < 0 ? 1 : 0])) ? o : null,
    );
function cf(e, n, s, l, o) {
  const a = e.axes[s],
    u = a.scale,
    p = e.scales[u],
    m = e.valToPos,
    g = a._space,
    y = m(10, u),
    d = m(9, u) - y >= g ? $s : m(7, u) - y >= g ? ff : m(5, u) - y >= g ? uf : ps;
  if (d == ps) {
    const w = De(m(1, u) - y);
    if (w < g) return qn(n.slice().reverse(), p.distr, d, ct(g / w)).reverse();
  }
  return qn(n, p.distr, d, 1);
}
function af(e, n, s, l, o) {
  const a = e.axes[s],
    { scale: u, _space: p } = a,
    m = e.valToPos,
    g = De(m(1, u) - m(2, u));
  if (g < p) return qn(n.slice().reverse(), 3, $s, ct(p / g)).reverse();
  return n;
}
function pf(e, n, s, l) {
  return l == null ? "--" : n == null ? "" : li(n);
}
var hs = {
  show: !0,
  scale: "y",
  stroke: "#000",
  space: 30,
  gap: 5,
  alignTo: 1,
  size: 50,
  labelGap: 0,
  labelSize: 30,
  labelFont: Ks,
  side: 3,
  grid: oi,
  ticks: Ys,
  border: Us,
  font: ri,
  lineGap: js,
  rotate: 0,
};
function hf(e, n) {
  const s = 3 + (e || 1) * 2;
  return pe(s * n, 3);
}
function mf(e, n) {
  const { scale: s, idxs: l } = e.series[0],
    o = e._data[0],
    a = e.valToPos(o[l[0]], s, !0),
    u = e.valToPos(o[l[1]], s, !0),
    p = De(u - a),
    m = e.series[n],
    g = p / (m.points.space * oe);
  return l[1] - l[0] <= g;
}
var ms = { scale: null, auto: !0, sorted: 0, min: ae, max: -ae },
  qs = (e, n, s, l, o) => o,
  gs = {
    show: !0,
    auto: !0,
    sorted: 0,
    gaps: qs,
    alpha: 1,
    facets: [xe({}, ms, { scale: "x" }), xe({}, ms, { scale: "y" })],
  },
  ds = {
    scale: "y",
    auto: !0,
    sorted: 0,
    show: !0,
    spanGaps: !1,
    gaps: qs,
    alpha: 1,
    points: { show: mf, filter: null },
    values: null,
    min: ae,
    max: -ae,
    idxs: [],
    path: null,
    clip: null,
  };
function gf(e, n, s, l, o) {
  return s / 10;
}
var Js = { time: !0, auto: !0, distr: 1, log: 10, asinh: 1, min: null, max: null, dir: 1, ori: 0 },
  df = xe({}, Js, { time: !1, ori: 1 }),
  ws = {};
function Zs(e, n) {
  let s = ws[e];
  if (!s) {
    if (
      ((s = {
        key: e,
        plots: [],
        sub(l) {
          s.plots.push(l);
        },
        unsub(l) {
          s.plots = s.plots.filter((o) => o != l);
        },
        pub(l, o, a, u, p, m, g) {
          for (let y = 0; y < s.plots.length; y++) s.plots[y] != o && s.plots[y].pub(l, o, a, u, p, m, g);
        },
      }),
      e != null)
    )
      ws[e] = s;
  }
  return s;
}
var Ml = 1,
  Jn = 2;
function tl(e, n, s) {
  const l = e.mode,
    o = e.series[n],
    a = l == 2 ? e._data[n] : e._data,
    { scales: u, bbox: p } = e,
    m = a[0],
    g = l == 2 ? a[1] : a[n],
    y = l == 2 ? u[o.facets[0].scale] : u[e.series[0].scale],
    d = l == 2 ? u[o.facets[1].scale] : u[o.scale],
    { left: w, top: L, width: P, height: z } = p,
    { valToPosH: N, valToPosV: I } = e;
  return y.ori == 0
    ? s(o, m, g, y, d, N, I, w, L, P, z, pn, Al, mn, Xs, to)
    : s(o, m, g, y, d, I, N, L, w, z, P, hn, Dl, ci, eo, lo);
}
function fi(e, n) {
  let s = 0,
    l = 0,
    o = ie(e.bands, ni);
  for (let a = 0; a < o.length; a++) {
    const u = o[a];
    if (u.series[0] == n) s = u.dir;
    else if (u.series[1] == n)
      if (u.dir == 1) l |= 1;
      else l |= 2;
  }
  return [s, l == 1 ? -1 : l == 2 ? 1 : l == 3 ? 2 : 0];
}
function wf(e, n, s, l, o) {
  const a = e.mode,
    u = e.series[n],
    p = a == 2 ? u.facets[1].scale : u.scale,
    m = e.scales[p];
  return o == -1 ? m.min : o == 1 ? m.max : m.distr == 3 ? (m.dir == 1 ? m.min : m.max) : 0;
}
function Lt(e, n, s, l, o, a) {
  return tl(e, n, (u, p, m, g, y, d, w, L, P, z, N) => {
    let I = u.pxRound,
      T = g.dir * (g.ori == 0 ? 1 : -1),
      O = g.ori == 0 ? Al : Dl,
      k,
      q;
    if (T == 1) (k = s), (q = l);
    else (k = l), (q = s);
    const D = I(d(p[k], g, z, L)),
      J = I(w(m[k], y, N, P)),
      U = I(d(p[q], g, z, L)),
      X = I(w(a == 1 ? y.max : y.min, y, N, P)),
      Y = new Path2D(o);
    return (O(Y, U, X), O(Y, D, X), O(Y, D, J), Y);
  });
}
function an(e, n, s, l, o, a) {
  let u = null;
  if (e.length > 0) {
    u = new Path2D();
    let p = n == 0 ? mn : ci,
      m = s;
    for (let d = 0; d < e.length; d++) {
      const w = e[d];
      if (w[1] > w[0]) {
        const L = w[0] - m;
        L > 0 && p(u, m, l, L, l + a), (m = w[1]);
      }
    }
    const g = s + o - m,
      y = 10;
    g > 0 && p(u, m, l - y / 2, g, l + a + y);
  }
  return u;
}
function Sf(e, n, s) {
  const l = e[e.length - 1];
  if (l && l[0] == n) l[1] = s;
  else e.push([n, s]);
}
function ui(e, n, s, l, o, a, u) {
  const p = [],
    m = e.length;
  for (let g = o == 1 ? s : l; g >= s && g <= l; g += o)
    if (n[g] === null) {
      let d = g,
        w = g;
      if (o == 1) while (++g <= l && n[g] === null) w = g;
      else while (--g >= s && n[g] === null) w = g;
      let L = a(e[d]),
        P = w == d ? L : a(e[w]),
        z = d - o;
      L = u <= 0 && z >= 0 && z < m ? a(e[z]) : L;
      const I = w + o;
      if (((P = u >= 0 && I >= 0 && I < m ? a(e[I]) : P), P >= L)) p.push([L, P]);
    }
  return p;
}
function Ss(e) {
  return e == 0 ? As : e == 1 ? Ae : (n) => Jt(n, e);
}
function Qs(e) {
  const n = e == 0 ? pn : hn,
    s =
      e == 0
        ? (o, a, u, p, m, g) => {
            o.arcTo(a, u, p, m, g);
          }
        : (o, a, u, p, m, g) => {
            o.arcTo(u, a, m, p, g);
          },
    l =
      e == 0
        ? (o, a, u, p, m) => {
            o.rect(a, u, p, m);
          }
        : (o, a, u, p, m) => {
            o.rect(u, a, m, p);
          };
  return (o, a, u, p, m, g = 0, y = 0) => {
    if (g == 0 && y == 0) l(o, a, u, p, m);
    else
      (g = St(g, p / 2, m / 2)),
        (y = St(y, p / 2, m / 2)),
        n(o, a + g, u),
        s(o, a + p, u, a + p, u + m, g),
        s(o, a + p, u + m, a, u + m, y),
        s(o, a, u + m, a, u, y),
        s(o, a, u, a + p, u, g),
        o.closePath();
  };
}
var pn = (e, n, s) => {
    e.moveTo(n, s);
  },
  hn = (e, n, s) => {
    e.moveTo(s, n);
  },
  Al = (e, n, s) => {
    e.lineTo(n, s);
  },
  Dl = (e, n, s) => {
    e.lineTo(s, n);
  },
  mn = Qs(0),
  ci = Qs(1),
  Xs = (e, n, s, l, o, a) => {
    e.arc(n, s, l, o, a);
  },
  eo = (e, n, s, l, o, a) => {
    e.arc(s, n, l, o, a);
  },
  to = (e, n, s, l, o, a, u) => {
    e.bezierCurveTo(n, s, l, o, a, u);
  },
  lo = (e, n, s, l, o, a, u) => {
    e.bezierCurveTo(s, n, o, l, u, a);
  };
function no(e) {
  return (n, s, l, o, a) =>
    tl(n, s, (u, p, m, g, y, d, w, L, P, z, N) => {
      let { pxRound: I, points: T } = u,
        O,
        k;
      if (g.ori == 0) (O = pn), (k = Xs);
      else (O = hn), (k = eo);
      const q = pe(T.width * oe, 3),
        D = ((T.size - T.width) / 2) * oe,
        J = pe(D * 2, 3),
        U = new Path2D(),
        X = new Path2D(),
        { left: Y, top: b, width: j, height: C } = n.bbox;
      mn(X, Y - J, b - J, j + J * 2, C + J * 2);
      const G = (V) => {
        if (m[V] != null) {
          const te = I(d(p[V], g, z, L)),
            R = I(w(m[V], y, N, P));
          O(U, te + D, R), k(U, te, R, D, 0, nn * 2);
        }
      };
      if (a) a.forEach(G);
      else for (let V = l; V <= o; V++) G(V);
      return { stroke: q > 0 ? U : null, fill: U, clip: X, flags: Ml | Jn };
    });
}
function io(e) {
  return (n, s, l, o, a, u) => {
    if (l != o) {
      if (a != l && u != l) e(n, s, l);
      if (a != o && u != o) e(n, s, o);
      e(n, s, u);
    }
  };
}
var _f = io(Al),
  yf = io(Dl);
function so(e) {
  const n = ie(e?.alignGaps, 0);
  return (s, l, o, a) =>
    tl(s, l, (u, p, m, g, y, d, w, L, P, z, N) => {
      [o, a] = rn(m, o, a);
      let I = u.pxRound,
        T = (C) => I(d(C, g, z, L)),
        O = (C) => I(w(C, y, N, P)),
        k,
        q;
      if (g.ori == 0) (k = Al), (q = _f);
      else (k = Dl), (q = yf);
      let D = g.dir * (g.ori == 0 ? 1 : -1),
        J = { stroke: new Path2D(), fill: null, clip: null, band: null, gaps: null, flags: Ml },
        U = J.stroke,
        X = !1;
      if (a - o >= z * 4) {
        let C = (H) => s.posToVal(H, g.key, !0),
          G = null,
          V = null,
          te,
          R,
          Ke,
          Se = T(p[D == 1 ? o : a]),
          le = T(p[o]),
          ue = T(p[a]),
          Z = C(D == 1 ? le + 1 : ue - 1);
        for (let H = D == 1 ? o : a; H >= o && H <= a; H += D) {
          const Me = p[H],
            _e = (D == 1 ? Me < Z : Me > Z) ? Se : T(Me),
            re = m[H];
          if (_e == Se) {
            if (re != null) {
              if (((R = re), G == null)) k(U, _e, O(R)), (te = G = V = R);
              else if (R < G) G = R;
              else if (R > V) V = R;
            } else if (re === null) X = !0;
          } else {
            if (G != null) q(U, Se, O(G), O(V), O(te), O(R));
            if (re != null) (R = re), k(U, _e, O(R)), (G = V = te = R);
            else if (((G = V = null), re === null)) X = !0;
            (Se = _e), (Z = C(Se + D));
          }
        }
        if (G != null && G != V && Ke != Se) q(U, Se, O(G), O(V), O(te), O(R));
      } else
        for (let C = D == 1 ? o : a; C >= o && C <= a; C += D) {
          const G = m[C];
          if (G === null) X = !0;
          else if (G != null) k(U, T(p[C]), O(G));
        }
      const [b, j] = fi(s, l);
      if (u.fill != null || b != 0) {
        let C = (J.fill = new Path2D(U)),
          G = u.fillTo(s, l, u.min, u.max, b),
          V = O(G),
          te = T(p[o]),
          R = T(p[a]);
        if (D == -1) [R, te] = [te, R];
        k(C, R, V), k(C, te, V);
      }
      if (!u.spanGaps) {
        let C = [];
        X && C.push(...ui(p, m, o, a, D, T, n)),
          (J.gaps = C = u.gaps(s, l, o, a, C)),
          (J.clip = an(C, g.ori, L, P, z, N));
      }
      if (j != 0) J.band = j == 2 ? [Lt(s, l, o, a, U, -1), Lt(s, l, o, a, U, 1)] : Lt(s, l, o, a, U, j);
      return J;
    });
}
function vf(e) {
  const n = ie(e.align, 1),
    s = ie(e.ascDesc, !1),
    l = ie(e.alignGaps, 0),
    o = ie(e.extend, !1);
  return (a, u, p, m) =>
    tl(a, u, (g, y, d, w, L, P, z, N, I, T, O) => {
      [p, m] = rn(d, p, m);
      let k = g.pxRound,
        { left: q, width: D } = a.bbox,
        J = (le) => k(P(le, w, T, N)),
        U = (le) => k(z(le, L, O, I)),
        X = w.ori == 0 ? Al : Dl,
        Y = { stroke: new Path2D(), fill: null, clip: null, band: null, gaps: null, flags: Ml },
        b = Y.stroke,
        j = w.dir * (w.ori == 0 ? 1 : -1),
        C = U(d[j == 1 ? p : m]),
        G = J(y[j == 1 ? p : m]),
        V = G,
        te = G;
      if (o && n == -1) (te = q), X(b, te, C);
      X(b, G, C);
      for (let le = j == 1 ? p : m; le >= p && le <= m; le += j) {
        const ue = d[le];
        if (ue == null) continue;
        const Z = J(y[le]),
          H = U(ue);
        if (n == 1) X(b, Z, C);
        else X(b, V, H);
        X(b, Z, H), (C = H), (V = Z);
      }
      let R = V;
      if (o && n == 1) (R = q + D), X(b, R, C);
      const [Ke, Se] = fi(a, u);
      if (g.fill != null || Ke != 0) {
        const le = (Y.fill = new Path2D(b)),
          ue = g.fillTo(a, u, g.min, g.max, Ke),
          Z = U(ue);
        X(le, R, Z), X(le, te, Z);
      }
      if (!g.spanGaps) {
        let le = [];
        le.push(...ui(y, d, p, m, j, J, l));
        const ue = (g.width * oe) / 2,
          Z = s || n == 1 ? ue : -ue,
          H = s || n == -1 ? -ue : ue;
        le.forEach((Me) => {
          (Me[0] += Z), (Me[1] += H);
        }),
          (Y.gaps = le = g.gaps(a, u, p, m, le)),
          (Y.clip = an(le, w.ori, N, I, T, O));
      }
      if (Se != 0) Y.band = Se == 2 ? [Lt(a, u, p, m, b, -1), Lt(a, u, p, m, b, 1)] : Lt(a, u, p, m, b, Se);
      return Y;
    });
}
function _s(e, n, s, l, o, a, u = ae) {
  if (e.length > 1) {
    let p = null;
    for (let m = 0, g = 1 / 0; m < e.length; m++)
      if (n[m] !== void 0) {
        if (p != null) {
          const y = De(e[m] - e[p]);
          if (y < g) (g = y), (u = De(s(e[m], l, o, a) - s(e[p], l, o, a)));
        }
        p = m;
      }
  }
  return u;
}
function Tf(e) {
  e = e || Il;
  let n = ie(e.size, [0.6, ae, 1]),
    s = e.align || 0,
    l = e.gap || 0,
    o = e.radius;
  o = o == null ? [0, 0] : typeof o == "number" ? [o, 0] : o;
  const a = ee(o),
    u = 1 - n[0],
    p = ie(n[1], ae),
    m = ie(n[2], 1),
    g = ie(e.disp, Il),
    y = ie(e.each, (L) => {}),
    { fill: d, stroke: w } = g;
  return (L, P, z, N) =>
    tl(L, P, (I, T, O, k, q, D, J, U, X, Y, b) => {
      let j = I.pxRound,
        C = s,
        G = l * oe,
        V = p * oe,
        te = m * oe,
        R,
        Ke;
      if (k.ori == 0) [R, Ke] = a(L, P);
      else [Ke, R] = a(L, P);
      let Se = k.dir * (k.ori == 0 ? 1 : -1),
        le = k.ori == 0 ? mn : ci,
        ue =
          k.ori == 0
            ? y
            : (E, he, Ee, sl, Gt, yt, Bt) => {
                y(E, he, Ee, Gt, sl, Bt, yt);
              },
        Z = ie(L.bands, ni).find((E) => E.series[0] == P),
        H = Z != null ? Z.dir : 0,
        Me = I.fillTo(L, P, I.min, I.max, H),
        We = j(J(Me, q, b, X)),
        _e,
        re,
        at,
        qe = Y,
        ve = j(I.width * oe),
        _t = !1,
        Et = null,
        nt = null,
        Ct = null,
        ll = null;
      if (d != null && (ve == 0 || w != null)) {
        if (
          ((_t = !0),
          (Et = d.values(L, P, z, N)),
          (nt = new Map()),
          new Set(Et).forEach((E) => {
            if (E != null) nt.set(E, new Path2D());
          }),
          ve > 0)
        )
          (Ct = w.values(L, P, z, N)),
            (ll = new Map()),
            new Set(Ct).forEach((E) => {
              if (E != null) ll.set(E, new Path2D());
            });
      }
      const { x0: nl, size: Pl } = g;
      if (nl != null && Pl != null) {
        if (((C = 1), (T = nl.values(L, P, z, N)), nl.unit == 2))
          T = T.map((Ee) => L.posToVal(U + Ee * Y, k.key, !0));
        const E = Pl.values(L, P, z, N);
        if (Pl.unit == 2) re = E[0] * Y;
        else re = D(E[0], k, Y, U) - D(0, k, Y, U);
        (qe = _s(T, O, D, k, Y, U, qe)), (at = qe - re + G);
      } else (qe = _s(T, O, D, k, Y, U, qe)), (at = qe * u + G), (re = qe - at);
      if (at < 1) at = 0;
      if (ve >= re / 2) ve = 0;
      if (at < 5) j = As;
      const Yl = at > 0,
        Wt = qe - at - (Yl ? ve : 0);
      (re = j(jn(Wt, te, V))),
        (_e = (C == 0 ? re / 2 : C == Se ? 0 : re) - C * Se * ((C == 0 ? G / 2 : 0) + (Yl ? ve / 2 : 0)));
      let Ie = { stroke: null, fill: null, clip: null, band: null, gaps: null, flags: 0 },
        il = _t ? null : new Path2D(),
        At = null;
      if (Z != null) At = L.data[Z.series[1]];
      else {
        const { y0: E, y1: he } = g;
        if (E != null && he != null) (O = he.values(L, P, z, N)), (At = E.values(L, P, z, N));
      }
      const It = R * re,
        K = Ke * re;
      for (let E = Se == 1 ? z : N; E >= z && E <= N; E += Se) {
        const he = O[E];
        if (he == null) continue;
        if (At != null) {
          const je = At[E] ?? 0;
          if (he - je == 0) continue;
          We = J(je, q, b, X);
        }
        const Ee = k.distr != 2 || g != null ? T[E] : E,
          sl = D(Ee, k, Y, U),
          Gt = J(ie(he, Me), q, b, X),
          yt = j(sl - _e),
          Bt = j(Ue(Gt, We)),
          Je = j(St(Gt, We)),
          it = Bt - Je;
        if (he != null) {
          const je = he < 0 ? K : It,
            pt = he < 0 ? It : K;
          if (_t) {
            if (ve > 0 && Ct[E] != null) le(ll.get(Ct[E]), yt, Je + tt(ve / 2), re, Ue(0, it - ve), je, pt);
            if (Et[E] != null) le(nt.get(Et[E]), yt, Je + tt(ve / 2), re, Ue(0, it - ve), je, pt);
          } else le(il, yt, Je + tt(ve / 2), re, Ue(0, it - ve), je, pt);
          ue(L, P, E, yt - ve / 2, Je, re + ve, it);
        }
      }
      if (ve > 0) Ie.stroke = _t ? ll : il;
      else if (!_t) (Ie._fill = I.width == 0 ? I._fill : (I._stroke ?? I._fill)), (Ie.width = 0);
      return ((Ie.fill = _t ? nt : il), Ie);
    });
}
function kf(e, n) {
  const s = ie(n?.alignGaps, 0);
  return (l, o, a, u) =>
    tl(l, o, (p, m, g, y, d, w, L, P, z, N, I) => {
      [a, u] = rn(g, a, u);
      let T = p.pxRound,
        O = (R) => T(w(R, y, N, P)),
        k = (R) => T(L(R, d, I, z)),
        q,
        D,
        J;
      if (y.ori == 0) (q = pn), (J = Al), (D = to);
      else (q = hn), (J = Dl), (D = lo);
      let U = y.dir * (y.ori == 0 ? 1 : -1),
        X = O(m[U == 1 ? a : u]),
        Y = X,
        b = [],
        j = [];
      for (let R = U == 1 ? a : u; R >= a && R <= u; R += U)
        if (g[R] != null) {
          const Se = m[R],
            le = O(Se);
          b.push((Y = le)), j.push(k(g[R]));
        }
      const C = { stroke: e(b, j, q, J, D, T), fill: null, clip: null, band: null, gaps: null, flags: Ml },
        G = C.stroke,
        [V, te] = fi(l, o);
      if (p.fill != null || V != 0) {
        const R = (C.fill = new Path2D(G)),
          Ke = p.fillTo(l, o, p.min, p.max, V),
          Se = k(Ke);
        J(R, Y, Se), J(R, X, Se);
      }
      if (!p.spanGaps) {
        let R = [];
        R.push(...ui(m, g, a, u, U, O, s)),
          (C.gaps = R = p.gaps(l, o, a, u, R)),
          (C.clip = an(R, y.ori, P, z, N, I));
      }
      if (te != 0) C.band = te == 2 ? [Lt(l, o, a, u, G, -1), Lt(l, o, a, u, G, 1)] : Lt(l, o, a, u, G, te);
      return C;
    });
}
function bf(e) {
  return kf(xf, e);
}
function xf(e, n, s, l, o, a) {
  const u = e.length;
  if (u < 2) return null;
  const p = new Path2D();
  if ((s(p, e[0], n[0]), u == 2)) l(p, e[1], n[1]);
  else {
    const m = Array(u),
      g = Array(u - 1),
      y = Array(u - 1),
      d = Array(u - 1);
    for (let w = 0; w < u - 1; w++) (y[w] = n[w + 1] - n[w]), (d[w] = e[w + 1] - e[w]), (g[w] = y[w] / d[w]);
    m[0] = g[0];
    for (let w = 1; w < u - 1; w++)
      if (g[w] === 0 || g[w - 1] === 0 || g[w - 1] > 0 !== g[w] > 0) m[w] = 0;
      else if (
        ((m[w] = (3 * (d[w - 1] + d[w])) / ((2 * d[w] + d[w - 1]) / g[w - 1] + (d[w] + 2 * d[w - 1]) / g[w])),
        !isFinite(m[w]))
      )
        m[w] = 0;
    m[u - 1] = g[u - 2];
    for (let w = 0; w < u - 1; w++)
      o(
        p,
        e[w] + d[w] / 3,
        n[w] + (m[w] * d[w]) / 3,
        e[w + 1] - d[w] / 3,
        n[w + 1] - (m[w + 1] * d[w]) / 3,
        e[w + 1],
        n[w + 1],
      );
  }
  return p;
}
var Zn = new Set();
function ys() {
  for (const e of Zn) e.syncRect(!0);
}
if (El)
  Xt("resize", Tl, ys),
    Xt("scroll", Tl, ys, !0),
    Xt("dppxchange", Tl, () => {
      Oe.pxRatio = oe;
    });
var Mf = so(),
  Ef = no();
function vs(e, n, s, l) {
  return (l ? [e[0], e[1]].concat(e.slice(2)) : [e[0]].concat(e.slice(1))).map((a, u) => Qn(a, u, n, s));
}
function Af(e, n) {
  return e.map((s, l) => (l == 0 ? {} : xe({}, n, s)));
}
function Qn(e, n, s, l) {
  return xe({}, n == 0 ? s : l, e);
}
function oo(e, n, s) {
  return n == null ? bl : [n, s];
}
var Df = oo;
function Pf(e, n, s) {
  return n == null ? bl : sn(n, s, ti, !0);
}
function ro(e, n, s, l) {
  return n == null ? bl : fn(n, s, e.scales[l].log, !1);
}
var Lf = ro;
function fo(e, n, s, l) {
  return n == null ? bl : ei(n, s, e.scales[l].log, !1);
}
var Cf = fo;
function Hf(e, n, s, l, o) {
  let a = Ue(Xi(e), Xi(n)),
    u = n - e,
    p = wt((o / l) * u, s);
  do {
    const m = s[p],
      g = (l * m) / u;
    if (g >= o && a + (m < 5 ? Nt.get(m) : 0) <= 17) return [m, g];
  } while (++p < s.length);
  return [0, 0];
}
function Ts(e) {
  let n, s;
  return ((e = e.replace(/(\d+)px/, (l, o) => (n = Ae((s = +o) * oe)) + "px")), [e, n, s]);
}
function Ff(e) {
  if (e.show)
    [e.font, e.labelFont].forEach((n) => {
      const s = pe(n[2] * oe, 1);
      (n[0] = n[0].replace(/[0-9.]+px/, s + "px")), (n[1] = s);
    });
}
function Oe(e, n, s) {
  const l = { mode: ie(e.mode, 1) },
    o = l.mode;
  function a(t, i, r, f) {
    const c = i.valToPct(t);
    return f + r * (i.dir == -1 ? 1 - c : c);
  }
  function u(t, i, r, f) {
    const c = i.valToPct(t);
    return f + r * (i.dir == -1 ? c : 1 - c);
  }
  function p(t, i, r, f) {
    return i.ori == 0 ? a(t, i, r, f) : u(t, i, r, f);
  }
  (l.valToPosH = a), (l.valToPosV = u);
  let m = !1;
  l.status = 0;
  const g = (l.root = ut("uplot"));
  if (e.id != null) g.id = e.id;
  if ((et(g, e.class), e.title)) {
    const t = ut(Uo, g);
    t.textContent = e.title;
  }
  const y = dt("canvas"),
    d = (l.ctx = y.getContext("2d")),
    w = ut(Ko, g);
  Xt(
    "click",
    w,
    (t) => {
      if (t.target === P) (me != dl || ye != wl) && ze.click(l, t);
    },
    !0,
  );
  const L = (l.under = ut(jo, w));
  w.appendChild(y);
  const P = (l.over = ut($o, w));
  e = xl(e);
  const z = +ie(e.pxAlign, 1),
    N = Ss(z);
  (e.plugins || []).forEach((t) => {
    if (t.opts) e = t.opts(l, e) || e;
  });
  const I = e.ms || 0.001,
    T = (l.series = o == 1 ? vs(e.series || [], as, ds, !1) : Af(e.series || [null], gs)),
    O = (l.axes = vs(e.axes || [], cs, hs, !0)),
    k = (l.scales = {}),
    q = (l.bands = e.bands || []);
  q.forEach((t) => {
    (t.fill = ee(t.fill || null)), (t.dir = ie(t.dir, -1));
  });
  const D = o == 2 ? T[1].facets[0].scale : T[0].scale,
    J = { axes: Ao, series: ko },
    U = (e.drawOrder || ["axes", "series"]).map((t) => J[t]);
  function X(t) {
    const i =
      t.distr == 3
        ? (r) => Pt(r > 0 ? r : t.clamp(l, r, t.min, t.max, t.key))
        : t.distr == 4
          ? (r) => Nn(r, t.asinh)
          : t.distr == 100
            ? (r) => t.fwd(r)
            : (r) => r;
    return (r) => {
      const f = i(r),
        { _min: c, _max: h } = t,
        S = h - c;
      return (f - c) / S;
    };
  }
  function Y(t) {
    let i = k[t];
    if (i == null) {
      const r = (e.scales || Il)[t] || Il;
      if (r.from != null) {
        Y(r.from);
        const f = xe({}, k[r.from], r, { key: t });
        (f.valToPct = X(f)), (k[t] = f);
      } else {
        (i = k[t] = xe({}, t == D ? Js : df, r)), (i.key = t);
        let f = i.time,
          c = i.range,
          h = Ot(c);
        if (t != D || (o == 2 && !f)) {
          if (h && (c[0] == null || c[1] == null))
            (c = {
              min: c[0] == null ? Ji : { mode: 1, hard: c[0], soft: c[0] },
              max: c[1] == null ? Ji : { mode: 1, hard: c[1], soft: c[1] },
            }),
              (h = !1);
          if (!h && cn(c)) {
            const S = c;
            c = (_, v, x) => (v == null ? bl : sn(v, x, S));
          }
        }
        (i.range = ee(
          c ||
            (f
              ? Df
              : t == D
                ? i.distr == 3
                  ? Lf
                  : i.distr == 4
                    ? Cf
                    : oo
                : i.distr == 3
                  ? ro
                  : i.distr == 4
                    ? fo
                    : Pf),
        )),
          (i.auto = ee(h ? !1 : i.auto)),
          (i.clamp = ee(i.clamp || gf)),
          (i._min = i._max = null),
          (i.valToPct = X(i));
      }
    }
  }
  if ((Y("x"), Y("y"), o == 1))
    T.forEach((t) => {
      Y(t.scale);
    });
  O.forEach((t) => {
    Y(t.scale);
  });
  for (const t in e.scales) Y(t);
  let b = k[D],
    j = b.distr,
    C,
    G;
  if (b.ori == 0) et(g, Bo), (C = a), (G = u);
  else et(g, Yo), (C = u), (G = a);
  const V = {};
  for (const t in k) {
    const i = k[t];
    if (i.min != null || i.max != null) (V[t] = { min: i.min, max: i.max }), (i.min = i.max = null);
  }
  const te = e.tzDate || ((t) => new Date(Ae(t / I))),
    R = e.fmtDate || ii,
    Ke = I == 1 ? Ir(te) : Yr(te),
    Se = rs(te, os(I == 1 ? Wr : Br, R)),
    le = us(te, fs(Kr, R)),
    ue = [],
    Z = (l.legend = xe({}, qr, e.legend)),
    H = (l.cursor = xe({}, tf, { drag: { y: o == 2 } }, e.cursor)),
    Me = Z.show,
    We = H.show,
    _e = Z.markers;
  (Z.idxs = ue),
    (_e.width = ee(_e.width)),
    (_e.dash = ee(_e.dash)),
    (_e.stroke = ee(_e.stroke)),
    (_e.fill = ee(_e.fill));
  let re,
    at,
    qe,
    ve = [],
    _t = [],
    Et,
    nt = !1,
    Ct = {};
  if (Z.live) {
    const t = T[1] ? T[1].values : null;
    (nt = t != null), (Et = nt ? t(l, 1, 0) : { _: 0 });
    for (const i in Et) Ct[i] = "--";
  }
  if (Me)
    if (((re = dt("table", er, g)), (qe = dt("tbody", null, re)), Z.mount(l, re), nt)) {
      at = dt("thead", null, re, qe);
      const t = dt("tr", null, at);
      dt("th", null, t);
      for (var ll in Et) dt("th", Bi, t).textContent = ll;
    } else et(re, lr), Z.live && et(re, tr);
  const nl = { show: !0 },
    Pl = { show: !1 };
  function Yl(t, i) {
    if (i == 0 && (nt || !Z.live || o == 2)) return bl;
    const r = [],
      f = dt("tr", nr, qe, qe.childNodes[i]);
    if ((et(f, t.class), !t.show)) et(f, Qt);
    const c = dt("th", null, f);
    if (_e.show) {
      const _ = ut(ir, c);
      if (i > 0) {
        const v = _e.width(l, i);
        if (v) _.style.border = v + "px " + _e.dash(l, i) + " " + _e.stroke(l, i);
        _.style.background = _e.fill(l, i);
      }
    }
    const h = ut(Bi, c);
    if (t.label instanceof HTMLElement) h.appendChild(t.label);
    else h.textContent = t.label;
    if (i > 0) {
      if (!_e.show) h.style.color = t.width > 0 ? _e.stroke(l, i) : _e.fill(l, i);
      if (
        (Ie(
          "click",
          c,
          (_) => {
            if (H._lock) return;
            Ut(_);
            const v = T.indexOf(t);
            if ((_.ctrlKey || _.metaKey) != Z.isolate) {
              const x = T.some((M, A) => A > 0 && A != v && M.show);
              T.forEach((M, A) => {
                A > 0 && Tt(A, x ? (A == v ? nl : Pl) : nl, !0, be.setSeries);
              });
            } else Tt(v, { show: !t.show }, !0, be.setSeries);
          },
          !1,
        ),
        rl)
      )
        Ie(
          "mouseenter",
          c,
          (_) => {
            if (H._lock) return;
            Ut(_), Tt(T.indexOf(t), _l, !0, be.setSeries);
          },
          !1,
        );
    }
    for (var S in Et) {
      const _ = dt("td", sr, f);
      (_.textContent = "--"), r.push(_);
    }
    return [f, r];
  }
  const Wt = new Map();
  function Ie(t, i, r, f = !0) {
    const c = Wt.get(i) || {},
      h = H.bind[t](l, i, r, f);
    if (h) Xt(t, i, (c[t] = h)), Wt.set(i, c);
  }
  function il(t, i, r) {
    const f = Wt.get(i) || {};
    for (const c in f) if (t == null || c == t) Kn(c, i, f[c]), delete f[c];
    if (t == null) Wt.delete(i);
  }
  let At = 0,
    It = 0,
    K = 0,
    E = 0,
    he = 0,
    Ee = 0,
    sl = he,
    Gt = Ee,
    yt = K,
    Bt = E,
    Je = 0,
    it = 0,
    je = 0,
    pt = 0;
  l.bbox = {};
  let dn = !1,
    Ul = !1,
    ol = !1,
    Yt = !1,
    Kl = !1,
    st = !1;
  function wn(t, i, r) {
    if (r || t != l.width || i != l.height) hi(t, i);
    pl(!1), (ol = !0), (Ul = !0), hl();
  }
  function hi(t, i) {
    (l.width = At = K = t), (l.height = It = E = i), (he = Ee = 0), go(), wo();
    const r = l.bbox;
    (Je = r.left = Jt(he * oe, 0.5)),
      (it = r.top = Jt(Ee * oe, 0.5)),
      (je = r.width = Jt(K * oe, 0.5)),
      (pt = r.height = Jt(E * oe, 0.5));
  }
  const po = 3;
  function ho() {
    let t = !1,
      i = 0;
    while (!t) {
      i++;
      const r = Mo(i),
        f = Eo(i);
      if (((t = i == po || (r && f)), !t)) hi(l.width, l.height), (Ul = !0);
    }
  }
  function mo({ width: t, height: i }) {
    wn(t, i);
  }
  l.setSize = mo;
  function go() {
    let t = !1,
      i = !1,
      r = !1,
      f = !1;
    O.forEach((c, h) => {
      if (c.show && c._show) {
        const { side: S, _size: _ } = c,
          v = S % 2,
          x = c.label != null ? c.labelSize : 0,
          M = _ + x;
        if (M > 0)
          if (v)
            if (((K -= M), S == 3)) (he += M), (f = !0);
            else r = !0;
          else if (((E -= M), S == 0)) (Ee += M), (t = !0);
          else i = !0;
      }
    }),
      (Kt[0] = t),
      (Kt[1] = r),
      (Kt[2] = i),
      (Kt[3] = f),
      (K -= Ht[1] + Ht[3]),
      (he += Ht[3]),
      (E -= Ht[2] + Ht[0]),
      (Ee += Ht[0]);
  }
  function wo() {
    let t = he + K,
      i = Ee + E,
      r = he,
      f = Ee;
    function c(h, S) {
      switch (h) {
        case 1:
          return ((t += S), t - S);
        case 2:
          return ((i += S), i - S);
        case 3:
          return ((r -= S), r + S);
        case 0:
          return ((f -= S), f + S);
      }
    }
    O.forEach((h, S) => {
      if (h.show && h._show) {
        const _ = h.side;
        if (((h._pos = c(_, h._size)), h.label != null)) h._lpos = c(_, h.labelSize);
      }
    });
  }
  if (H.dataIdx == null) {
    const t = H.hover,
      i = (t.skip = new Set(t.skip ?? []));
    i.add(void 0);
    const r = (t.prox = ee(t.prox)),
      f = (t.bias ??= 0);
    H.dataIdx = (c, h, S, _) => {
      if (h == 0) return S;
      let v = S,
        x = r(c, h, S, _) ?? ae,
        M = x >= 0 && x < ae,
        A = b.ori == 0 ? K : E,
        B = H.left,
        se = n[0],
        ne = n[h];
      if (i.has(ne[S])) {
        v = null;
        let Q = null,
          W = null,
          F;
        if (f == 0 || f == -1) {
          F = S;
          while (Q == null && F-- > 0) if (!i.has(ne[F])) Q = F;
        }
        if (f == 0 || f == 1) {
          F = S;
          while (W == null && F++ < ne.length) if (!i.has(ne[F])) W = F;
        }
        if (Q != null || W != null)
          if (M) {
            const de = Q == null ? -1 / 0 : C(se[Q], b, A, 0),
              Te = W == null ? 1 / 0 : C(se[W], b, A, 0),
              Re = B - de,
              ce = Te - B;
            if (Re <= ce) {
              if (Re <= x) v = Q;
            } else if (ce <= x) v = W;
          } else v = W == null ? Q : Q == null ? W : S - Q <= W - S ? Q : W;
      } else if (M) {
        if (De(B - C(se[S], b, A, 0)) > x) v = null;
      }
      return v;
    };
  }
  const Ut = (t) => {
    H.event = t;
  };
  (H.idxs = ue), (H._lock = !1);
  const Ne = H.points;
  (Ne.show = ee(Ne.show)),
    (Ne.size = ee(Ne.size)),
    (Ne.stroke = ee(Ne.stroke)),
    (Ne.width = ee(Ne.width)),
    (Ne.fill = ee(Ne.fill));
  const vt = (l.focus = xe({}, e.focus || { alpha: 0.3 }, H.focus)),
    rl = vt.prox >= 0,
    fl = rl && Ne.one,
    ot = [],
    ul = [],
    cl = [];
  function mi(t, i) {
    const r = Ne.show(l, i);
    if (r instanceof HTMLElement)
      return (et(r, Xo), et(r, t.class), Mt(r, -10, -10, K, E), P.insertBefore(r, ot[i]), r);
  }
  function gi(t, i) {
    if (o == 1 || i > 0) {
      const r = o == 1 && k[t.scale].time,
        f = t.value;
      (t.value = r ? (ls(f) ? us(te, fs(f, R)) : f || le) : f || pf), (t.label = t.label || (r ? nf : lf));
    }
    if (fl || i > 0) {
      (t.width = t.width == null ? 1 : t.width),
        (t.paths = t.paths || Mf || gr),
        (t.fillTo = ee(t.fillTo || wf)),
        (t.pxAlign = +ie(t.pxAlign, z)),
        (t.pxRound = Ss(t.pxAlign)),
        (t.stroke = ee(t.stroke || null)),
        (t.fill = ee(t.fill || null)),
        (t._stroke = t._fill = t._paths = t._focus = null);
      const r = hf(Ue(1, t.width), 1),
        f = (t.points = xe(
          {},
          {
            size: r,
            width: Ue(1, r * 0.2),
            stroke: t.stroke,
            space: r * 2,
            paths: Ef,
            _stroke: null,
            _fill: null,
          },
          t.points,
        ));
      (f.show = ee(f.show)),
        (f.filter = ee(f.filter)),
        (f.fill = ee(f.fill)),
        (f.stroke = ee(f.stroke)),
        (f.paths = ee(f.paths)),
        (f.pxAlign = t.pxAlign);
    }
    if (Me) {
      const r = Yl(t, i);
      ve.splice(i, 0, r[0]), _t.splice(i, 0, r[1]), Z.values.push(null);
    }
    if (We) {
      ue.splice(i, 0, null);
      let r = null;
      if (fl) {
        if (i == 0) r = mi(t, i);
      } else if (i > 0) r = mi(t, i);
      ot.splice(i, 0, r), ul.splice(i, 0, 0), cl.splice(i, 0, 0);
    }
    Fe("addSeries", i);
  }
  function So(t, i) {
    (i = i == null ? T.length : i),
      (t = o == 1 ? Qn(t, i, as, ds) : Qn(t, i, {}, gs)),
      T.splice(i, 0, t),
      gi(T[i], i);
  }
  l.addSeries = So;
  function _o(t) {
    if ((T.splice(t, 1), Me)) {
      Z.values.splice(t, 1), _t.splice(t, 1);
      const i = ve.splice(t, 1)[0];
      il(null, i.firstChild), i.remove();
    }
    if (We) ue.splice(t, 1), ot.splice(t, 1)[0].remove(), ul.splice(t, 1), cl.splice(t, 1);
    Fe("delSeries", t);
  }
  l.delSeries = _o;
  const Kt = [!1, !1, !1, !1];
  function yo(t, i) {
    if (((t._show = t.show), t.show)) {
      let r = t.side % 2,
        f = k[t.scale];
      if (f == null) (t.scale = r ? T[1].scale : D), (f = k[t.scale]);
      const c = f.time;
      if (((t.size = ee(t.size)), (t.space = ee(t.space)), (t.rotate = ee(t.rotate)), Ot(t.incrs)))
        t.incrs.forEach((S) => {
          !Nt.has(S) && Nt.set(S, Ls(S));
        });
      (t.incrs = ee(t.incrs || (f.distr == 2 ? zr : c ? (I == 1 ? Nr : Gr) : Zt))),
        (t.splits = ee(t.splits || (c && f.distr == 1 ? Ke : f.distr == 3 ? $n : f.distr == 4 ? rf : of))),
        (t.stroke = ee(t.stroke)),
        (t.grid.stroke = ee(t.grid.stroke)),
        (t.ticks.stroke = ee(t.ticks.stroke)),
        (t.border.stroke = ee(t.border.stroke));
      const h = t.values;
      if (
        ((t.values =
          Ot(h) && !Ot(h[0])
            ? ee(h)
            : c
              ? Ot(h)
                ? rs(te, os(h, R))
                : ls(h)
                  ? Ur(te, h)
                  : h || Se
              : h || sf),
        (t.filter = ee(
          t.filter || (f.distr >= 3 && f.log == 10 ? cf : f.distr == 3 && f.log == 2 ? af : Ds),
        )),
        (t.font = Ts(t.font)),
        (t.labelFont = Ts(t.labelFont)),
        (t._size = t.size(l, null, i, 0)),
        (t._space = t._rotate = t._incrs = t._found = t._splits = t._values = null),
        t._size > 0)
      )
        (Kt[i] = !0), (t._el = ut(qo, w));
    }
  }
  function Ll(t, i, r, f) {
    let [c, h, S, _] = r,
      v = i % 2,
      x = 0;
    if (v == 0 && (_ || h)) x = (i == 0 && !c) || (i == 2 && !S) ? Ae(cs.size / 3) : 0;
    if (v == 1 && (c || S)) x = (i == 1 && !h) || (i == 3 && !_) ? Ae(hs.size / 2) : 0;
    return x;
  }
  let di = (l.padding = (e.padding || [Ll, Ll, Ll, Ll]).map((t) => ee(ie(t, Ll)))),
    Ht = (l._padding = di.map((t, i) => t(l, i, Kt, 0))),
    Ve,
    Pe = null,
    Le = null,
    jl = o == 1 ? T[0].idxs : null,
    ht = null,
    Cl = !1;
  function wi(t, i) {
    if (((n = t == null ? [] : t), (l.data = l._data = n), o == 2)) {
      Ve = 0;
      for (let r = 1; r < T.length; r++) Ve += n[r][0].length;
    } else {
      if (n.length == 0) l.data = l._data = n = [[]];
      (ht = n[0]), (Ve = ht.length);
      let r = n;
      if (j == 2) {
        r = n.slice();
        const f = (r[0] = Array(Ve));
        for (let c = 0; c < Ve; c++) f[c] = c;
      }
      l._data = n = r;
    }
    if ((pl(!0), Fe("setData"), j == 2)) ol = !0;
    if (i !== !1) {
      const r = b;
      if (r.auto(l, Cl)) Sn();
      else Rt(D, r.min, r.max);
      (Yt = Yt || H.left >= 0), (st = !0), hl();
    }
  }
  l.setData = wi;
  function Sn() {
    Cl = !0;
    let t, i;
    if (o == 1)
      if (Ve > 0) {
        if (((Pe = jl[0] = 0), (Le = jl[1] = Ve - 1), (t = n[0][Pe]), (i = n[0][Le]), j == 2))
          (t = Pe), (i = Le);
        else if (t == i)
          if (j == 3) [t, i] = fn(t, t, b.log, !1);
          else if (j == 4) [t, i] = ei(t, t, b.log, !1);
          else if (b.time) i = t + Ae(86400 / I);
          else [t, i] = sn(t, i, ti, !0);
      } else (Pe = jl[0] = t = null), (Le = jl[1] = i = null);
    Rt(D, t, i);
  }
  let $l, al, _n, yn, vn, Tn, kn, bn, xn, $e;
  function Si(t, i, r, f, c, h) {
    if (((t ??= Yi), (r ??= ni), (f ??= "butt"), (c ??= Yi), (h ??= "round"), t != $l))
      d.strokeStyle = $l = t;
    if (c != al) d.fillStyle = al = c;
    if (i != _n) d.lineWidth = _n = i;
    if (h != vn) d.lineJoin = vn = h;
    if (f != Tn) d.lineCap = Tn = f;
    if (r != yn) d.setLineDash((yn = r));
  }
  function _i(t, i, r, f) {
    if (i != al) d.fillStyle = al = i;
    if (t != kn) d.font = kn = t;
    if (r != bn) d.textAlign = bn = r;
    if (f != xn) d.textBaseline = xn = f;
  }
  function Mn(t, i, r, f, c = 0) {
    if (f.length > 0 && t.auto(l, Cl) && (i == null || i.min == null)) {
      const h = ie(Pe, 0),
        S = ie(Le, f.length - 1),
        _ = r.min == null ? ur(f, h, S, c, t.distr == 3) : [r.min, r.max];
      (t.min = St(t.min, (r.min = _[0]))), (t.max = Ue(t.max, (r.max = _[1])));
    }
  }
  const yi = { min: null, max: null };
  function vo() {
    for (const f in k) {
      const c = k[f];
      if (V[f] == null && (c.min == null || (V[D] != null && c.auto(l, Cl)))) V[f] = yi;
    }
    for (const f in k) {
      const c = k[f];
      if (V[f] == null && c.from != null && V[c.from] != null) V[f] = yi;
    }
    if (V[D] != null) pl(!0);
    const t = {};
    for (const f in V) {
      const c = V[f];
      if (c != null) {
        const h = (t[f] = xl(k[f], Sr));
        if (c.min != null) xe(h, c);
        else if (f != D || o == 2)
          if (Ve == 0 && h.from == null) {
            const S = h.range(l, null, null, f);
            (h.min = S[0]), (h.max = S[1]);
          } else (h.min = ae), (h.max = -ae);
      }
    }
    if (Ve > 0) {
      T.forEach((f, c) => {
        if (o == 1) {
          const h = f.scale,
            S = V[h];
          if (S == null) return;
          const _ = t[h];
          if (c == 0) {
            const v = _.range(l, _.min, _.max, h);
            if (
              ((_.min = v[0]), (_.max = v[1]), (Pe = wt(_.min, n[0])), (Le = wt(_.max, n[0])), Le - Pe > 1)
            ) {
              if (n[0][Pe] < _.min) Pe++;
              if (n[0][Le] > _.max) Le--;
            }
            (f.min = ht[Pe]), (f.max = ht[Le]);
          } else if (f.show && f.auto) Mn(_, S, f, n[c], f.sorted);
          (f.idxs[0] = Pe), (f.idxs[1] = Le);
        } else if (c > 0) {
          if (f.show && f.auto) {
            const [h, S] = f.facets,
              _ = h.scale,
              v = S.scale,
              [x, M] = n[c],
              A = t[_],
              B = t[v];
            A != null && Mn(A, V[_], h, x, h.sorted),
              B != null && Mn(B, V[v], S, M, S.sorted),
              (f.min = S.min),
              (f.max = S.max);
          }
        }
      });
      for (const f in t) {
        const c = t[f],
          h = V[f];
        if (c.from == null && (h == null || h.min == null)) {
          const S = c.range(l, c.min == ae ? null : c.min, c.max == -ae ? null : c.max, f);
          (c.min = S[0]), (c.max = S[1]);
        }
      }
    }
    for (const f in t) {
      const c = t[f];
      if (c.from != null) {
        const h = t[c.from];
        if (h.min == null) c.min = c.max = null;
        else {
          const S = c.range(l, h.min, h.max, f);
          (c.min = S[0]), (c.max = S[1]);
        }
      }
    }
    let i = {},
      r = !1;
    for (const f in t) {
      const c = t[f],
        h = k[f];
      if (h.min != c.min || h.max != c.max) {
        (h.min = c.min), (h.max = c.max);
        const S = h.distr;
        (h._min = S == 3 ? Pt(h.min) : S == 4 ? Nn(h.min, h.asinh) : S == 100 ? h.fwd(h.min) : h.min),
          (h._max = S == 3 ? Pt(h.max) : S == 4 ? Nn(h.max, h.asinh) : S == 100 ? h.fwd(h.max) : h.max),
          (i[f] = r = !0);
      }
    }
    if (r) {
      T.forEach((f, c) => {
        if (o == 2) {
          if (c > 0 && i.y) f._paths = null;
        } else if (i[f.scale]) f._paths = null;
      });
      for (const f in i) (ol = !0), Fe("setScale", f);
      if (We && H.left >= 0) Yt = st = !0;
    }
    for (const f in V) V[f] = null;
  }
  function To(t) {
    let i = jn(Pe - 1, 0, Ve - 1),
      r = jn(Le + 1, 0, Ve - 1);
    while (t[i] == null && i > 0) i--;
    while (t[r] == null && r < Ve - 1) r++;
    return [i, r];
  }
  function ko() {
    if (Ve > 0) {
      const t = T.some((i) => i._focus) && $e != vt.alpha;
      if (t) d.globalAlpha = $e = vt.alpha;
      if (
        (T.forEach((i, r) => {
          if (r > 0 && i.show) {
            if ((vi(r, !1), vi(r, !0), i._paths == null)) {
              const f = $e;
              if ($e != i.alpha) d.globalAlpha = $e = i.alpha;
              const c = o == 2 ? [0, n[r][0].length - 1] : To(n[r]);
              if (((i._paths = i.paths(l, r, c[0], c[1])), $e != f)) d.globalAlpha = $e = f;
            }
          }
        }),
        T.forEach((i, r) => {
          if (r > 0 && i.show) {
            const f = $e;
            if ($e != i.alpha) d.globalAlpha = $e = i.alpha;
            i._paths != null && Ti(r, !1);
            {
              const c = i._paths != null ? i._paths.gaps : null,
                h = i.points.show(l, r, Pe, Le, c),
                S = i.points.filter(l, r, h, c);
              if (h || S) (i.points._paths = i.points.paths(l, r, Pe, Le, S)), Ti(r, !0);
            }
            if ($e != f) d.globalAlpha = $e = f;
            Fe("drawSeries", r);
          }
        }),
        t)
      )
        d.globalAlpha = $e = 1;
    }
  }
  function vi(t, i) {
    const r = i ? T[t].points : T[t];
    (r._stroke = r.stroke(l, t)), (r._fill = r.fill(l, t));
  }
  function Ti(t, i) {
    let r = i ? T[t].points : T[t],
      {
        stroke: f,
        fill: c,
        clip: h,
        flags: S,
        _stroke: _ = r._stroke,
        _fill: v = r._fill,
        _width: x = r.width,
      } = r._paths;
    x = pe(x * oe, 3);
    let M = null,
      A = (x % 2) / 2;
    if (i && v == null) v = x > 0 ? "#fff" : _;
    const B = r.pxAlign == 1 && A > 0;
    if ((B && d.translate(A, A), !i)) {
      const se = Je - x / 2,
        ne = it - x / 2,
        Q = je + x,
        W = pt + x;
      (M = new Path2D()), M.rect(se, ne, Q, W);
    }
    if (i) En(_, x, r.dash, r.cap, v, f, c, S, h);
    else bo(t, _, x, r.dash, r.cap, v, f, c, S, M, h);
    B && d.translate(-A, -A);
  }
  function bo(t, i, r, f, c, h, S, _, v, x, M) {
    let A = !1;
    if (
      (v != 0 &&
        q.forEach((B, se) => {
          if (B.series[0] == t) {
            let ne = T[B.series[1]],
              Q = n[B.series[1]],
              W = (ne._paths || Il).band;
            if (Ot(W)) W = B.dir == 1 ? W[0] : W[1];
            let F,
              de = null;
            if (ne.show && W && ar(Q, Pe, Le)) (de = B.fill(l, se) || h), (F = ne._paths.clip);
            else W = null;
            En(i, r, f, c, de, S, _, v, x, M, F, W), (A = !0);
          }
        }),
      !A)
    )
      En(i, r, f, c, h, S, _, v, x, M);
  }
  const ki = Ml | Jn;
  function En(t, i, r, f, c, h, S, _, v, x, M, A) {
    if ((Si(t, i, r, f, c), v || x || A)) d.save(), v && d.clip(v), x && d.clip(x);
    if (A) {
      if ((_ & ki) == ki) d.clip(A), M && d.clip(M), Jl(c, S), ql(t, h, i);
      else if (_ & Jn) Jl(c, S), d.clip(A), ql(t, h, i);
      else if (_ & Ml) d.save(), d.clip(A), M && d.clip(M), Jl(c, S), d.restore(), ql(t, h, i);
    } else Jl(c, S), ql(t, h, i);
    if (v || x || A) d.restore();
  }
  function ql(t, i, r) {
    if (r > 0)
      if (i instanceof Map)
        i.forEach((f, c) => {
          (d.strokeStyle = $l = c), d.stroke(f);
        });
      else i != null && t && d.stroke(i);
  }
  function Jl(t, i) {
    if (i instanceof Map)
      i.forEach((r, f) => {
        (d.fillStyle = al = f), d.fill(r);
      });
    else i != null && t && d.fill(i);
  }
  function xo(t, i, r, f) {
    let c = O[t],
      h;
    if (f <= 0) h = [0, 0];
    else {
      const S = (c._space = c.space(l, t, i, r, f)),
        _ = (c._incrs = c.incrs(l, t, i, r, f, S));
      h = Hf(i, r, _, f, S);
    }
    return (c._found = h);
  }
  function An(t, i, r, f, c, h, S, _, v, x) {
    const M = (S % 2) / 2;
    z == 1 && d.translate(M, M), Si(_, S, v, x, _), d.beginPath();
    let A,
      B,
      se,
      ne,
      Q = c + (f == 0 || f == 3 ? -h : h);
    if (r == 0) (B = c), (ne = Q);
    else (A = c), (se = Q);
    for (let W = 0; W < t.length; W++)
      if (i[W] != null) {
        if (r == 0) A = se = t[W];
        else B = ne = t[W];
        d.moveTo(A, B), d.lineTo(se, ne);
      }
    d.stroke(), z == 1 && d.translate(-M, -M);
  }
  function Mo(t) {
    let i = !0;
    return (
      O.forEach((r, f) => {
        if (!r.show) return;
        const c = k[r.scale];
        if (c.min == null) {
          if (r._show) (i = !1), (r._show = !1), pl(!1);
          return;
        } else if (!r._show) (i = !1), (r._show = !0), pl(!1);
        const h = r.side,
          S = h % 2,
          { min: _, max: v } = c,
          [x, M] = xo(f, _, v, S == 0 ? K : E);
        if (M == 0) return;
        const A = c.distr == 2,
          B = (r._splits = r.splits(l, f, _, v, x, M, A)),
          se = c.distr == 2 ? B.map((F) => ht[F]) : B,
          ne = c.distr == 2 ? ht[B[1]] - ht[B[0]] : x,
          Q = (r._values = r.values(l, r.filter(l, se, f, M, ne), f, M, ne));
        r._rotate = h == 2 ? r.rotate(l, Q, f, M) : 0;
        const W = r._size;
        if (((r._size = ct(r.size(l, Q, f, t))), W != null && r._size != W)) i = !1;
      }),
      i
    );
  }
  function Eo(t) {
    let i = !0;
    return (
      di.forEach((r, f) => {
        const c = r(l, f, Kt, t);
        if (c != Ht[f]) i = !1;
        Ht[f] = c;
      }),
      i
    );
  }
  function Ao() {
    for (let t = 0; t < O.length; t++) {
      const i = O[t];
      if (!i.show || !i._show) continue;
      let r = i.side,
        f = r % 2,
        c,
        h,
        S = i.stroke(l, t),
        _ = r == 0 || r == 3 ? -1 : 1,
        [v, x] = i._found;
      if (i.label != null) {
        const Be = i.labelGap * _,
          Xe = Ae((i._lpos + Be) * oe);
        if ((_i(i.labelFont[0], S, "center", r == 2 ? "top" : "bottom"), d.save(), f == 1))
          (c = h = 0), d.translate(Xe, Ae(it + pt / 2)), d.rotate((r == 3 ? -nn : nn) / 2);
        else (c = Ae(Je + je / 2)), (h = Xe);
        const qt = Es(i.label) ? i.label(l, t, v, x) : i.label;
        d.fillText(qt, c, h), d.restore();
      }
      if (x == 0) continue;
      const M = k[i.scale],
        A = f == 0 ? je : pt,
        B = f == 0 ? Je : it,
        se = i._splits,
        ne = M.distr == 2 ? se.map((Be) => ht[Be]) : se,
        Q = M.distr == 2 ? ht[se[1]] - ht[se[0]] : v,
        { ticks: W, border: F } = i,
        de = W.show ? W.size : 0,
        Te = Ae(de * oe),
        Re = Ae((i.alignTo == 2 ? i._size - de - i.gap : i.gap) * oe),
        ce = (i._rotate * -nn) / 180,
        ke = N(i._pos * oe),
        Ze = (Te + Re) * _,
        Ge = ke + Ze;
      (h = f == 0 ? Ge : 0), (c = f == 1 ? Ge : 0);
      const rt = i.font[0],
        mt =
          i.align == 1
            ? "left"
            : i.align == 2
              ? "right"
              : ce > 0
                ? "left"
                : ce < 0
                  ? "right"
                  : f == 0
                    ? "center"
                    : r == 3
                      ? "right"
                      : "left",
        bt = ce || f == 1 ? "middle" : r == 2 ? "top" : "bottom";
      _i(rt, S, mt, bt);
      const Qe = i.font[1] * i.lineGap,
        ft = se.map((Be) => N(p(Be, M, A, B))),
        gt = i._values;
      for (let Be = 0; Be < gt.length; Be++) {
        let Xe = gt[Be];
        if (Xe != null) {
          if (f == 0) c = ft[Be];
          else h = ft[Be];
          Xe = "" + Xe;
          const qt =
            Xe.indexOf(`
`) == -1
              ? [Xe]
              : Xe.split(/\n/gm);
          for (let Ye = 0; Ye < qt.length; Ye++) {
            const Gi = qt[Ye];
            if (ce) d.save(), d.translate(c, h + Ye * Qe), d.rotate(ce), d.fillText(Gi, 0, 0), d.restore();
            else d.fillText(Gi, c, h + Ye * Qe);
          }
        }
      }
      if (W.show)
        An(ft, W.filter(l, ne, t, x, Q), f, r, ke, Te, pe(W.width * oe, 3), W.stroke(l, t), W.dash, W.cap);
      const xt = i.grid;
      if (xt.show)
        An(
          ft,
          xt.filter(l, ne, t, x, Q),
          f,
          f == 0 ? 2 : 1,
          f == 0 ? it : Je,
          f == 0 ? pt : je,
          pe(xt.width * oe, 3),
          xt.stroke(l, t),
          xt.dash,
          xt.cap,
        );
      if (F.show)
        An(
          [ke],
          [1],
          f == 0 ? 1 : 0,
          f == 0 ? 1 : 2,
          f == 1 ? it : Je,
          f == 1 ? pt : je,
          pe(F.width * oe, 3),
          F.stroke(l, t),
          F.dash,
          F.cap,
        );
    }
    Fe("drawAxes");
  }
  function pl(t) {
    T.forEach((i, r) => {
      if (r > 0) {
        if (((i._paths = null), t))
          if (o == 1) (i.min = null), (i.max = null);
          else
            i.facets.forEach((f) => {
              (f.min = null), (f.max = null);
            });
      }
    });
  }
  let Zl = !1,
    Dn = !1,
    Hl = [];
  function Do() {
    Dn = !1;
    for (let t = 0; t < Hl.length; t++) Fe(...Hl[t]);
    Hl.length = 0;
  }
  function hl() {
    if (!Zl) xr(bi), (Zl = !0);
  }
  function Po(t, i = !1) {
    if (((Zl = !0), (Dn = i), t(l), bi(), i && Hl.length > 0)) queueMicrotask(Do);
  }
  l.batch = Po;
  function bi() {
    if (dn) vo(), (dn = !1);
    if (ol) ho(), (ol = !1);
    if (Ul) {
      if (
        (we(L, "left", he),
        we(L, "top", Ee),
        we(L, "width", K),
        we(L, "height", E),
        we(P, "left", he),
        we(P, "top", Ee),
        we(P, "width", K),
        we(P, "height", E),
        we(w, "width", At),
        we(w, "height", It),
        (y.width = Ae(At * oe)),
        (y.height = Ae(It * oe)),
        O.forEach(({ _el: t, _show: i, _size: r, _pos: f, side: c }) => {
          if (t != null)
            if (i) {
              const h = c === 3 || c === 0 ? r : 0,
                S = c % 2 == 1;
              we(t, S ? "left" : "top", f - h),
                we(t, S ? "width" : "height", r),
                we(t, S ? "top" : "left", S ? Ee : he),
                we(t, S ? "height" : "width", S ? E : K),
                Un(t, Qt);
            } else et(t, Qt);
        }),
        ($l = al = _n = vn = Tn = kn = bn = xn = yn = null),
        ($e = 1),
        Vl(!0),
        he != sl || Ee != Gt || K != yt || E != Bt)
      ) {
        pl(!1);
        const t = K / yt,
          i = E / Bt;
        if (We && !Yt && H.left >= 0) {
          (H.left *= t), (H.top *= i), ml && Mt(ml, Ae(H.left), 0, K, E), gl && Mt(gl, 0, Ae(H.top), K, E);
          for (let r = 0; r < ot.length; r++) {
            const f = ot[r];
            if (f != null) (ul[r] *= t), (cl[r] *= i), Mt(f, ct(ul[r]), ct(cl[r]), K, E);
          }
        }
        if (ge.show && !Kl && ge.left >= 0 && ge.width > 0) {
          (ge.left *= t), (ge.width *= t), (ge.top *= i), (ge.height *= i);
          for (const r in Rn) we(Sl, r, ge[r]);
        }
        (sl = he), (Gt = Ee), (yt = K), (Bt = E);
      }
      Fe("setSize"), (Ul = !1);
    }
    if (At > 0 && It > 0)
      d.clearRect(0, 0, y.width, y.height), Fe("drawClear"), U.forEach((t) => t()), Fe("draw");
    if (ge.show && Kl) Ql(ge), (Kl = !1);
    if (We && Yt) $t(null, !0, !1), (Yt = !1);
    if (Z.show && Z.live && st) Hn(), (st = !1);
    if (!m) (m = !0), (l.status = 1), Fe("ready");
    (Cl = !1), (Zl = !1);
  }
  l.redraw = (t, i) => {
    if (((ol = i || !1), t !== !1)) Rt(D, b.min, b.max);
    else hl();
  };
  function Pn(t, i) {
    const r = k[t];
    if (r.from == null) {
      if (Ve == 0) {
        const f = r.range(l, i.min, i.max, t);
        (i.min = f[0]), (i.max = f[1]);
      }
      if (i.min > i.max) {
        const f = i.min;
        (i.min = i.max), (i.max = f);
      }
      if (Ve > 1 && i.min != null && i.max != null && i.max - i.min < 0.0000000000000001) return;
      if (t == D) {
        if (r.distr == 2 && Ve > 0) {
          if (((i.min = wt(i.min, n[0])), (i.max = wt(i.max, n[0])), i.min == i.max)) i.max++;
        }
      }
      (V[t] = i), (dn = !0), hl();
    }
  }
  l.setScale = Pn;
  let Ln,
    Cn,
    ml,
    gl,
    xi,
    Mi,
    dl,
    wl,
    Ei,
    Ai,
    me,
    ye,
    Ft = !1,
    ze = H.drag,
    { x: Ce, y: He } = ze;
  if (We) {
    if (H.x) Ln = ut(Zo, P);
    if (H.y) Cn = ut(Qo, P);
    if (b.ori == 0) (ml = Ln), (gl = Cn);
    else (ml = Cn), (gl = Ln);
    (me = H.left), (ye = H.top);
  }
  const ge = (l.select = xe({ show: !0, over: !0, left: 0, width: 0, top: 0, height: 0 }, e.select)),
    Sl = ge.show ? ut(Jo, ge.over ? P : L) : null;
  function Ql(t, i) {
    if (ge.show) {
      for (const r in t) if (((ge[r] = t[r]), r in Rn)) we(Sl, r, t[r]);
      i !== !1 && Fe("setSelect");
    }
  }
  l.setSelect = Ql;
  function Lo(t) {
    if (T[t].show) Me && Un(ve[t], Qt);
    else if ((Me && et(ve[t], Qt), We)) {
      const r = fl ? ot[0] : ot[t];
      r != null && Mt(r, -10, -10, K, E);
    }
  }
  function Rt(t, i, r) {
    Pn(t, { min: i, max: r });
  }
  function Tt(t, i, r, f) {
    if (i.focus != null) Vo(t);
    if (i.show != null)
      T.forEach((c, h) => {
        if (h > 0 && (t == h || t == null)) {
          if (((c.show = i.show), Lo(h), o == 2))
            Rt(c.facets[0].scale, null, null), Rt(c.facets[1].scale, null, null);
          else Rt(c.scale, null, null);
          hl();
        }
      });
    r !== !1 && Fe("setSeries", t, i), f && zl("setSeries", l, t, i);
  }
  l.setSeries = Tt;
  function Co(t, i) {
    xe(q[t], i);
  }
  function Ho(t, i) {
    (t.fill = ee(t.fill || null)), (t.dir = ie(t.dir, -1)), (i = i == null ? q.length : i), q.splice(i, 0, t);
  }
  function Fo(t) {
    if (t == null) q.length = 0;
    else q.splice(t, 1);
  }
  (l.addBand = Ho), (l.setBand = Co), (l.delBand = Fo);
  function Ro(t, i) {
    if (((T[t].alpha = i), We && ot[t] != null)) ot[t].style.opacity = i;
    if (Me && ve[t]) ve[t].style.opacity = i;
  }
  let Dt,
    Vt,
    jt,
    _l = { focus: !0 };
  function Vo(t) {
    if (t != jt) {
      const i = t == null,
        r = vt.alpha != 1;
      T.forEach((f, c) => {
        if (o == 1 || c > 0) {
          const h = i || c == 0 || c == t;
          (f._focus = i ? null : h), r && Ro(c, h ? 1 : vt.alpha);
        }
      }),
        (jt = t),
        r && hl();
    }
  }
  if (Me && rl)
    Ie("mouseleave", re, (t) => {
      if (H._lock) return;
      if ((Ut(t), jt != null)) Tt(null, _l, !0, be.setSeries);
    });
  function kt(t, i, r) {
    const f = k[i];
    if (r) t = t / oe - (f.ori == 1 ? Ee : he);
    let c = K;
    if (f.ori == 1) (c = E), (t = c - t);
    if (f.dir == -1) t = c - t;
    const { _min: h, _max: S } = f,
      _ = t / c,
      v = h + (S - h) * _,
      x = f.distr;
    return x == 3 ? kl(10, v) : x == 4 ? hr(v, f.asinh) : x == 100 ? f.bwd(v) : v;
  }
  function zo(t, i) {
    const r = kt(t, D, i);
    return wt(r, n[0], Pe, Le);
  }
  (l.valToIdx = (t) => wt(t, n[0])),
    (l.posToIdx = zo),
    (l.posToVal = kt),
    (l.valToPos = (t, i, r) =>
      k[i].ori == 0 ? a(t, k[i], r ? je : K, r ? Je : 0) : u(t, k[i], r ? pt : E, r ? it : 0)),
    (l.setCursor = (t, i, r) => {
      (me = t.left), (ye = t.top), $t(null, i, r);
    });
  function Di(t, i) {
    we(Sl, "left", (ge.left = t)), we(Sl, "width", (ge.width = i));
  }
  function Pi(t, i) {
    we(Sl, "top", (ge.top = t)), we(Sl, "height", (ge.height = i));
  }
  const Fl = b.ori == 0 ? Di : Pi,
    Rl = b.ori == 1 ? Di : Pi;
  function Oo() {
    if (Me && Z.live)
      for (let t = o == 2 ? 1 : 0; t < T.length; t++) {
        if (t == 0 && nt) continue;
        let i = Z.values[t],
          r = 0;
        for (const f in i) _t[t][r++].firstChild.nodeValue = i[f];
      }
  }
  function Hn(t, i) {
    if (t != null) {
      if (t.idxs)
        t.idxs.forEach((r, f) => {
          ue[f] = r;
        });
      else if (!wr(t.idx)) ue.fill(t.idx);
      Z.idx = ue[0];
    }
    if (Me && Z.live) {
      for (let r = 0; r < T.length; r++) if (r > 0 || (o == 1 && !nt)) No(r, ue[r]);
      Oo();
    }
    (st = !1), i !== !1 && Fe("setLegend");
  }
  l.setLegend = Hn;
  function No(t, i) {
    let r = T[t],
      f = t == 0 && j == 2 ? ht : n[t],
      c;
    if (nt) c = r.values(l, t, i) ?? Ct;
    else (c = r.value(l, i == null ? null : f[i], t, i)), (c = c == null ? Ct : { _: c });
    Z.values[t] = c;
  }
  function $t(t, i, r) {
    if (((Ei = me), (Ai = ye), ([me, ye] = H.move(l, me, ye)), (H.left = me), (H.top = ye), We))
      ml && Mt(ml, Ae(me), 0, K, E), gl && Mt(gl, 0, Ae(ye), K, E);
    let f,
      c = Pe > Le;
    (Dt = ae), (Vt = null);
    const h = b.ori == 0 ? K : E,
      S = b.ori == 1 ? K : E;
    if (me < 0 || Ve == 0 || c) {
      f = H.idx = null;
      for (let _ = 0; _ < T.length; _++) {
        const v = ot[_];
        v != null && Mt(v, -10, -10, K, E);
      }
      if (rl) Tt(null, _l, !0, t == null && be.setSeries);
      if (Z.live) ue.fill(f), (st = !0);
    } else {
      let _, v, x;
      if (o == 1)
        (_ = b.ori == 0 ? me : ye),
          (v = kt(_, D)),
          (f = H.idx = wt(v, n[0], Pe, Le)),
          (x = C(n[0][f], b, h, 0));
      let M = -10,
        A = -10,
        B = 0,
        se = 0,
        ne = !0,
        Q = "",
        W = "";
      for (let F = o == 2 ? 1 : 0; F < T.length; F++) {
        const de = T[F],
          Te = ue[F],
          Re = Te == null ? null : o == 1 ? n[F][Te] : n[F][1][Te],
          ce = H.dataIdx(l, F, f, v),
          ke = ce == null ? null : o == 1 ? n[F][ce] : n[F][1][ce];
        if (((st = st || ke != Re || ce != Te), (ue[F] = ce), F > 0 && de.show)) {
          const Ze = ce == null ? -10 : ce == f ? x : C(o == 1 ? n[0][ce] : n[F][0][ce], b, h, 0),
            Ge = ke == null ? -10 : G(ke, o == 1 ? k[de.scale] : k[de.facets[1].scale], S, 0);
          if (rl && ke != null) {
            const rt = b.ori == 1 ? me : ye,
              mt = De(vt.dist(l, F, ce, Ge, rt));
            if (mt < Dt) {
              const bt = vt.bias;
              if (bt != 0) {
                const Qe = kt(rt, de.scale),
                  ft = ke >= 0 ? 1 : -1,
                  gt = Qe >= 0 ? 1 : -1;
                if (gt == ft && (gt == 1 ? (bt == 1 ? ke >= Qe : ke <= Qe) : bt == 1 ? ke <= Qe : ke >= Qe))
                  (Dt = mt), (Vt = F);
              } else (Dt = mt), (Vt = F);
            }
          }
          if (st || fl) {
            let rt, mt;
            if (b.ori == 0) (rt = Ze), (mt = Ge);
            else (rt = Ge), (mt = Ze);
            let bt,
              Qe,
              ft,
              gt,
              xt,
              Be,
              Xe = !0,
              qt = Ne.bbox;
            if (qt != null) {
              Xe = !1;
              const Ye = qt(l, F);
              (ft = Ye.left), (gt = Ye.top), (bt = Ye.width), (Qe = Ye.height);
            } else (ft = rt), (gt = mt), (bt = Qe = Ne.size(l, F));
            if (((Be = Ne.fill(l, F)), (xt = Ne.stroke(l, F)), fl)) {
              if (F == Vt && Dt <= vt.prox)
                (M = ft), (A = gt), (B = bt), (se = Qe), (ne = Xe), (Q = Be), (W = xt);
            } else {
              const Ye = ot[F];
              if (Ye != null)
                (ul[F] = ft), (cl[F] = gt), qi(Ye, bt, Qe, Xe), ji(Ye, Be, xt), Mt(Ye, ct(ft), ct(gt), K, E);
            }
          }
        }
      }
      if (fl) {
        const F = vt.prox,
          de = jt == null ? Dt <= F : Dt > F || Vt != jt;
        if (st || de) {
          const Te = ot[0];
          if (Te != null)
            (ul[0] = M), (cl[0] = A), qi(Te, B, se, ne), ji(Te, Q, W), Mt(Te, ct(M), ct(A), K, E);
        }
      }
    }
    if (ge.show && Ft)
      if (t != null) {
        const [_, v] = be.scales,
          [x, M] = be.match,
          [A, B] = t.cursor.sync.scales,
          se = t.cursor.drag;
        if (((Ce = se._x), (He = se._y), Ce || He)) {
          let { left: ne, top: Q, width: W, height: F } = t.select,
            de = t.scales[A].ori,
            Te = t.posToVal,
            Re,
            ce,
            ke,
            Ze,
            Ge,
            rt = _ != null && x(_, A),
            mt = v != null && M(v, B);
          if (rt && Ce) {
            if (de == 0) (Re = ne), (ce = W);
            else (Re = Q), (ce = F);
            (ke = k[_]),
              (Ze = C(Te(Re, A), ke, h, 0)),
              (Ge = C(Te(Re + ce, A), ke, h, 0)),
              Fl(St(Ze, Ge), De(Ge - Ze));
          } else Fl(0, h);
          if (mt && He) {
            if (de == 1) (Re = ne), (ce = W);
            else (Re = Q), (ce = F);
            (ke = k[v]),
              (Ze = G(Te(Re, B), ke, S, 0)),
              (Ge = G(Te(Re + ce, B), ke, S, 0)),
              Rl(St(Ze, Ge), De(Ge - Ze));
          } else Rl(0, S);
        } else Vn();
      } else {
        let _ = De(Ei - xi),
          v = De(Ai - Mi);
        if (b.ori == 1) {
          const B = _;
          (_ = v), (v = B);
        }
        (Ce = ze.x && _ >= ze.dist), (He = ze.y && v >= ze.dist);
        const x = ze.uni;
        if (x != null) {
          if (Ce && He) {
            if (((Ce = _ >= x), (He = v >= x), !Ce && !He))
              if (v > _) He = !0;
              else Ce = !0;
          }
        } else if (ze.x && ze.y && (Ce || He)) Ce = He = !0;
        let M, A;
        if (Ce) {
          if (b.ori == 0) (M = dl), (A = me);
          else (M = wl), (A = ye);
          if ((Fl(St(M, A), De(A - M)), !He)) Rl(0, S);
        }
        if (He) {
          if (b.ori == 1) (M = dl), (A = me);
          else (M = wl), (A = ye);
          if ((Rl(St(M, A), De(A - M)), !Ce)) Fl(0, h);
        }
        if (!Ce && !He) Fl(0, 0), Rl(0, 0);
      }
    if (((ze._x = Ce), (ze._y = He), t == null)) {
      if (r) {
        if (Ii != null) {
          const [_, v] = be.scales;
          (be.values[0] = _ != null ? kt(b.ori == 0 ? me : ye, _) : null),
            (be.values[1] = v != null ? kt(b.ori == 1 ? me : ye, v) : null);
        }
        zl("mousemove", l, me, ye, K, E, f);
      }
      if (rl) {
        const _ = r && be.setSeries,
          v = vt.prox;
        if (jt == null) {
          if (Dt <= v) Tt(Vt, _l, !0, _);
        } else if (Dt > v) Tt(null, _l, !0, _);
        else if (Vt != jt) Tt(Vt, _l, !0, _);
      }
    }
    if (st) (Z.idx = f), Hn();
    i !== !1 && Fe("setCursor");
  }
  let zt = null;
  Object.defineProperty(l, "rect", {
    get() {
      if (zt == null) Vl(!1);
      return zt;
    },
  });
  function Vl(t = !1) {
    if (t) zt = null;
    else (zt = P.getBoundingClientRect()), Fe("syncRect", zt);
  }
  function Li(t, i, r, f, c, h, S) {
    if (H._lock) return;
    if (Ft && t != null && t.movementX == 0 && t.movementY == 0) return;
    if ((Fn(t, i, r, f, c, h, S, !1, t != null), t != null)) $t(null, !0, !0);
    else $t(i, !0, !1);
  }
  function Fn(t, i, r, f, c, h, S, _, v) {
    if (zt == null) Vl(!1);
    if ((Ut(t), t != null)) (r = t.clientX - zt.left), (f = t.clientY - zt.top);
    else {
      if (r < 0 || f < 0) {
        (me = -10), (ye = -10);
        return;
      }
      const [x, M] = be.scales,
        A = i.cursor.sync,
        [B, se] = A.values,
        [ne, Q] = A.scales,
        [W, F] = be.match,
        de = i.axes[0].side % 2 == 1,
        Te = b.ori == 0 ? K : E,
        Re = b.ori == 1 ? K : E,
        ce = de ? h : c,
        ke = de ? c : h,
        Ze = de ? f : r,
        Ge = de ? r : f;
      if (ne != null) r = W(x, ne) ? p(B, k[x], Te, 0) : -10;
      else r = Te * (Ze / ce);
      if (Q != null) f = F(M, Q) ? p(se, k[M], Re, 0) : -10;
      else f = Re * (Ge / ke);
      if (b.ori == 1) {
        const rt = r;
        (r = f), (f = rt);
      }
    }
    if (v && (i == null || i.cursor.event.type == "mousemove")) {
      if (r <= 1 || r >= K - 1) r = Jt(r, K);
      if (f <= 1 || f >= E - 1) f = Jt(f, E);
    }
    if (_) (xi = r), (Mi = f), ([dl, wl] = H.move(l, r, f));
    else (me = r), (ye = f);
  }
  const Rn = { width: 0, height: 0, left: 0, top: 0 };
  function Vn() {
    Ql(Rn, !1);
  }
  let Ci, Hi, Fi, Ri;
  function Vi(t, i, r, f, c, h, S) {
    if (((Ft = !0), (Ce = He = ze._x = ze._y = !1), Fn(t, i, r, f, c, h, S, !0, !1), t != null))
      Ie("mouseup", Bn, zi, !1), zl("mousedown", l, dl, wl, K, E, null);
    const { left: _, top: v, width: x, height: M } = ge;
    (Ci = _), (Hi = v), (Fi = x), (Ri = M);
  }
  function zi(t, i, r, f, c, h, S) {
    (Ft = ze._x = ze._y = !1), Fn(t, i, r, f, c, h, S, !1, !0);
    const { left: _, top: v, width: x, height: M } = ge,
      A = x > 0 || M > 0,
      B = Ci != _ || Hi != v || Fi != x || Ri != M;
    if ((A && B && Ql(ge), ze.setScale && A && B)) {
      let se = _,
        ne = x,
        Q = v,
        W = M;
      if (b.ori == 1) (se = v), (ne = M), (Q = _), (W = x);
      if (Ce) Rt(D, kt(se, D), kt(se + ne, D));
      if (He)
        for (const F in k) {
          const de = k[F];
          if (F != D && de.from == null && de.min != ae) Rt(F, kt(Q + W, F), kt(Q, F));
        }
      Vn();
    } else if (H.lock) (H._lock = !H._lock), $t(i, !0, t != null);
    if (t != null) il("mouseup", Bn), zl("mouseup", l, me, ye, K, E, null);
  }
  function Wo(t, i, r, f, c, h, S) {
    if (H._lock) return;
    Ut(t);
    const _ = Ft;
    if (Ft) {
      let v = !0,
        x = !0,
        M = 10,
        A,
        B;
      if (b.ori == 0) (A = Ce), (B = He);
      else (A = He), (B = Ce);
      if (A && B) (v = me <= M || me >= K - M), (x = ye <= M || ye >= E - M);
      if (A && v) me = me < dl ? 0 : K;
      if (B && x) ye = ye < wl ? 0 : E;
      $t(null, !0, !0), (Ft = !1);
    }
    if (((me = -10), (ye = -10), ue.fill(null), $t(null, !0, !0), _)) Ft = _;
  }
  function Oi(t, i, r, f, c, h, S) {
    if (H._lock) return;
    if ((Ut(t), Sn(), Vn(), t != null)) zl("dblclick", l, me, ye, K, E, null);
  }
  function Ni() {
    O.forEach(Ff), wn(l.width, l.height, !0);
  }
  Xt("dppxchange", Tl, Ni);
  const yl = {};
  if (
    ((yl.mousedown = Vi),
    (yl.mousemove = Li),
    (yl.mouseup = zi),
    (yl.dblclick = Oi),
    (yl.setSeries = (t, i, r, f) => {
      const c = be.match[2];
      (r = c(l, i, r)), r != -1 && Tt(r, f, !0, !1);
    }),
    We)
  )
    Ie("mousedown", P, Vi),
      Ie("mousemove", P, Li),
      Ie("mouseenter", P, (t) => {
        Ut(t), Vl(!1);
      }),
      Ie("mouseleave", P, Wo),
      Ie("dblclick", P, Oi),
      Zn.add(l),
      (l.syncRect = Vl);
  const Xl = (l.hooks = e.hooks || {});
  function Fe(t, i, r) {
    if (Dn) Hl.push([t, i, r]);
    else if (t in Xl)
      Xl[t].forEach((f) => {
        f.call(null, l, i, r);
      });
  }
  (e.plugins || []).forEach((t) => {
    for (const i in t.hooks) Xl[i] = (Xl[i] || []).concat(t.hooks[i]);
  });
  const Wi = (t, i, r) => r,
    be = xe(
      {
        key: null,
        setSeries: !1,
        filters: { pub: es, sub: es },
        scales: [D, T[1] ? T[1].scale : null],
        match: [ts, ts, Wi],
        values: [null, null],
      },
      H.sync,
    );
  if (be.match.length == 2) be.match.push(Wi);
  H.sync = be;
  const Ii = be.key,
    zn = Zs(Ii);
  function zl(t, i, r, f, c, h, S) {
    if (be.filters.pub(t, i, r, f, c, h, S)) zn.pub(t, i, r, f, c, h, S);
  }
  zn.sub(l);
  function Io(t, i, r, f, c, h, S) {
    if (be.filters.sub(t, i, r, f, c, h, S)) yl[t](null, i, r, f, c, h, S);
  }
  l.pub = Io;
  function Go() {
    zn.unsub(l), Zn.delete(l), Wt.clear(), Kn("dppxchange", Tl, Ni), g.remove(), re?.remove(), Fe("destroy");
  }
  l.destroy = Go;
  function On() {
    if ((Fe("init", e, n), wi(n || e.data, !1), V[D])) Pn(D, V[D]);
    else Sn();
    (Kl = ge.show && (ge.width > 0 || ge.height > 0)), (Yt = st = !0), wn(e.width, e.height);
  }
  if ((T.forEach(gi), O.forEach(yo), s))
    if (s instanceof HTMLElement) s.appendChild(g), On();
    else s(l, On);
  else On();
  return l;
}
Oe.assign = xe;
Oe.fmtNum = li;
Oe.rangeNum = sn;
Oe.rangeLog = fn;
Oe.rangeAsinh = ei;
Oe.orient = tl;
Oe.pxRatio = oe;
Oe.join = br;
(Oe.fmtDate = ii), (Oe.tzDate = Rr);
Oe.sync = Zs;
{
  (Oe.addGap = Sf), (Oe.clipGaps = an);
  const e = (Oe.paths = { points: no });
  (e.linear = so), (e.stepped = vf), (e.bars = Tf), (e.spline = bf);
}
var ao = 90,
  Bl = [],
  pi = new Map();
function gn(e, n) {
  let s = pi.get(e);
  if (!s) (s = Array(Math.max(0, Bl.length - 1)).fill(null)), pi.set(e, s);
  if ((s.push(n), s.length > ao)) s.shift();
}
var uo = new Map();
function ai(e, n) {
  const s = document.getElementById(e);
  if (!s || !n.length) return;
  const l = [Bl, ...n.map((p) => pi.get(p) ?? [])],
    o = uo.get(e);
  if (o && o.series.length === n.length + 1) {
    o.setData(l);
    return;
  }
  o?.destroy();
  const a = ["#0550ae", "#bf3989", "#116329", "#953800", "#6639ba"],
    u = {
      width: Math.min(640, s.clientWidth || 640),
      height: 180,
      series: [{}, ...n.map((p, m) => ({ label: p, stroke: a[m % a.length], width: 2 }))],
    };
  uo.set(e, new Oe(u, l, s));
}
async function co() {
  const e = await fetch("/admin/system.json", { headers: { accept: "application/json" } });
  if (!e.ok) return;
  const n = await e.json();
  if ((Bl.push(n.at / 1000), Bl.length > ao)) Bl.shift();
  const s = n.upstreams ?? [];
  for (const l of s) gn(`latency ${l.id}`, l.ewmaMs), gn(`active ${l.id}`, l.active);
  gn("backlog", n.backlog);
  for (const l of n.replicas) gn(`lag ${l.name}`, l.lag_ms ?? 0);
  ai(
    "chart-latency",
    s.map((l) => `latency ${l.id}`),
  ),
    ai(
      "chart-active",
      s.map((l) => `active ${l.id}`),
    ),
    ai("chart-backlog", ["backlog", ...n.replicas.map((l) => `lag ${l.name}`)]);
}
if (document.getElementById("chart-latency")) co(), setInterval(() => void co(), 2000);
