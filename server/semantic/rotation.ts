/**
 * An orthonormal rotation that puts most of a set of vectors' energy into
 * their first components (the eigenvectors of the second-moment matrix,
 * largest eigenvalue first: PCA without centring). A rotation keeps every dot
 * product, so the IVF scan can work on rotated vectors and stop a row early:
 * after the first components the rest can add at most |q_tail|·|v_tail|
 * (Cauchy–Schwarz), and a row that cannot reach the current k-th best is
 * dropped without reading its tail (ann.ts).
 */

/** Eigen-decomposition of a symmetric n × n matrix by cyclic Jacobi rotations; rows of `vectors` are eigenvectors. */
function jacobi(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // Columns p and q of a.
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // Rows p and q of a.
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          // Rows p and q of v (eigenvectors as rows).
          const vpk = v[p * n + k]!;
          const vqk = v[q * n + k]!;
          v[p * n + k] = c * vpk - s * vqk;
          v[q * n + k] = s * vpk + c * vqk;
        }
      }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/**
 * The rotation (dims × dims, row i = i-th axis) for `rows` of `m`: the
 * eigenvectors of Σ v·vᵀ over those rows, largest eigenvalue first.
 */
export function energyRotation(m: Float32Array, rows: number[], dims: number): Float32Array {
  const cov = new Float64Array(dims * dims);
  for (const r of rows) {
    const base = r * dims;
    for (let i = 0; i < dims; i++) {
      const x = m[base + i]!;
      for (let j = i; j < dims; j++) cov[i * dims + j]! += x * m[base + j]!;
    }
  }
  for (let i = 0; i < dims; i++) for (let j = 0; j < i; j++) cov[i * dims + j] = cov[j * dims + i]!;
  const { values, vectors } = jacobi(cov, dims);
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!);
  const out = new Float32Array(dims * dims);
  order.forEach((from, to) => {
    for (let k = 0; k < dims; k++) out[to * dims + k] = vectors[from * dims + k]!;
  });
  return out;
}

/** `out` = R·v for row `from` of `m` (R from `energyRotation`). */
export function rotate(
  r: Float32Array,
  m: Float32Array,
  from: number,
  out: Float32Array,
  dims: number,
): void {
  for (let i = 0; i < dims; i++) {
    let s = 0;
    for (let k = 0; k < dims; k++) s += r[i * dims + k]! * m[from + k]!;
    out[i] = s;
  }
}

/** `out` = Rᵀ·v (back from the rotated axes). */
export function unrotate(r: Float32Array, v: Float32Array, out: Float32Array, dims: number): void {
  out.fill(0);
  for (let i = 0; i < dims; i++) for (let k = 0; k < dims; k++) out[k]! += r[i * dims + k]! * v[i]!;
}
