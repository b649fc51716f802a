/**
 * Quantises row `from` of `m` into `out` at `to` as round(x / scale) with
 * scale = max|x| / 127 (Int8Array) or / 32767 (Int16Array); returns the
 * scale. For a unit 100-d vector int8 rounding moves a dot product by
 * ~1e-3, int16 by ~4e-6.
 */
export function quantiseRow(
  m: Float32Array,
  from: number,
  out: Int8Array | Int16Array,
  to: number,
  dims: number,
): number {
  let max = 0;
  for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(m[from + d]!));
  const scale = max / (out instanceof Int8Array ? 127 : 32767) || 1;
  for (let d = 0; d < dims; d++) out[to + d] = Math.round(m[from + d]! / scale);
  return scale;
}
