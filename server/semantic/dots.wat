;; The nearest-neighbour scan's inner loops (dot-kernel.ts): dot products of
;; one 16-bit query with 16-bit rows, eight lanes at a time: the heads of a
;; cell's rows against the scan's floor (`pick`), then the tails of the rows
;; picked (`gather`).
;; i32x4.dot_i16x8_s multiplies eight pairs and adds them pairwise into four
;; 32-bit lanes; the caller keeps every partial sum inside 32 bits.
;; Compiled by `bun run build:wasm` into dots-wasm.ts.
(module
  (memory (export "memory") 1)
  ;; out[i] = Σ q[d]·row[d] for the rows at base + at[i]·rowBytes, i in 0 .. count-1
  ;; (a gather: the rows the caller picked, each `groups` × 8 int16 long).
  (func (export "gather") (param $q i32) (param $base i32) (param $at i32) (param $count i32)
    (param $groups i32) (param $rowBytes i32) (param $out i32)
    (local $end i32) (local $acc v128) (local $g i32) (local $qp i32) (local $row i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $row (i32.add (local.get $base) (i32.mul (i32.load (local.get $at)) (local.get $rowBytes))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $qp (local.get $q))
        (local.set $g (local.get $groups))
        (loop $lanes
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s (v128.load (local.get $qp)) (v128.load (local.get $row)))))
          (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (br_if $lanes (local.tee $g (i32.sub (local.get $g) (i32.const 1)))))
        ;; Lanes 2 and 3 onto 0 and 1, then 1 onto 0.
        (local.set $acc (i32x4.add (local.get $acc)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
        (i32.store (local.get $out)
          (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $rows))))
  ;; The heads of rows first .. first+count-1 against a floor: a row whose head
  ;; score (sum · scales[at] · qScale) plus the most its tail can add
  ;; (qTail · tails[at]) passes `floor` is listed: its position at picked[n]
  ;; and its head's sum at sums[n]. Returns n. scales and tails are f32 per row.
  (func (export "pick") (param $q i32) (param $heads i32) (param $first i32) (param $count i32)
    (param $groups i32) (param $scales i32) (param $tails i32) (param $qScale f64) (param $qTail f64)
    (param $floor f64) (param $picked i32) (param $sums i32) (result i32)
    (local $at i32) (local $end i32) (local $row i32) (local $n i32) (local $sum i32)
    (local $acc v128) (local $g i32) (local $qp i32)
    (local.set $at (local.get $first))
    (local.set $end (i32.add (local.get $first) (local.get $count)))
    (local.set $row (i32.add (local.get $heads) (i32.mul (local.get $first) (i32.shl (local.get $groups) (i32.const 4)))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $qp (local.get $q))
        (local.set $g (local.get $groups))
        (loop $lanes
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s (v128.load (local.get $qp)) (v128.load (local.get $row)))))
          (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (br_if $lanes (local.tee $g (i32.sub (local.get $g) (i32.const 1)))))
        (local.set $acc (i32x4.add (local.get $acc)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
        (local.set $sum (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc))))
        (if (f64.gt
              (f64.add
                (f64.mul (f64.convert_i32_s (local.get $sum))
                  (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $scales) (i32.shl (local.get $at) (i32.const 2)))))
                    (local.get $qScale)))
                (f64.mul (local.get $qTail)
                  (f64.promote_f32 (f32.load (i32.add (local.get $tails) (i32.shl (local.get $at) (i32.const 2)))))))
              (local.get $floor))
          (then
            (i32.store (i32.add (local.get $picked) (i32.shl (local.get $n) (i32.const 2))) (local.get $at))
            (i32.store (i32.add (local.get $sums) (i32.shl (local.get $n) (i32.const 2))) (local.get $sum))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $rows)))
    (local.get $n))
)
