// binary:logistic's gradient pass in WebAssembly SIMD, four rows at a time: p = sigmoid(margin),
// g = (p - y) w, h = max(p (1 - p), 1e-16) w (w times scale_pos_weight for positives), and
// optionally the training logloss or error summed in the same pass. exp and log are Cephes'
// float32 polynomials (xgboost computes in float32 too). Instruction lists are laid out by hand
// (prettier-ignore): one stack expression per line reads far better than one token per line.
import { type WasmFunction, f32x4Const, i32x4Const, op } from '../../common/wasm/assembler.js';

const { get, set, i32 } = op;

/** Where the kernel reads its float parameters and writes its sums, in a thread's scratch. */
export const SCRATCH = { scalePosWeight: 0, threshold: 4, loss: 16, weight: 24, bytes: 32 };

/** Summing mode: none, logloss, or error at the scratch threshold. */
export enum LossMode {
  None = 0,
  Logloss = 1,
  Error = 2,
  /** Logloss when every label is 0 or 1: one log per row, of p or 1 - p. */
  Logloss01 = 3,
}

const mul = (c: number): number[] => [...f32x4Const(c), ...op.f32x4Mul];
const add = (c: number): number[] => [...f32x4Const(c), ...op.f32x4Add];

/** e^x of the v128 in local `x` (clobbered), using locals k and r; leaves the result on the stack. */
function exp(x: number, k: number, r: number): number[] {
  // prettier-ignore
  return [
    ...get(x), ...f32x4Const(-87.3), ...op.f32x4Max, ...f32x4Const(88), ...op.f32x4Min, ...set(x),
    ...get(x), ...mul(Math.LOG2E), ...op.f32x4Nearest, ...set(k),
    ...get(x), ...get(k), ...mul(0.693359375), ...op.f32x4Sub,
    ...get(k), ...mul(-2.12194440e-4), ...op.f32x4Sub, ...set(r),
    ...f32x4Const(1.987569150e-4), ...get(r), ...op.f32x4Mul, ...add(1.3981999507e-3),
    ...get(r), ...op.f32x4Mul, ...add(8.3334519073e-3),
    ...get(r), ...op.f32x4Mul, ...add(4.1665795894e-2),
    ...get(r), ...op.f32x4Mul, ...add(1.6666665459e-1),
    ...get(r), ...op.f32x4Mul, ...add(5.0000001201e-1),
    ...get(r), ...get(r), ...op.f32x4Mul, ...op.f32x4Mul, ...get(r), ...op.f32x4Add, ...add(1),
    // times 2^k, built in the exponent bits
    ...get(k), ...op.i32x4TruncSatF32x4S, ...i32x4Const(127), ...op.i32x4Add, ...i32(23), ...op.i32x4Shl,
    ...op.f32x4Mul,
  ];
}

/** ln(x) of the positive v128 in local `x` (clobbered), using locals e and t; result on the stack. */
function log(x: number, e: number, t: number): number[] {
  // prettier-ignore
  return [
    ...get(x), ...i32(23), ...op.i32x4ShrU, ...i32x4Const(127), ...op.i32x4Sub, ...set(e),
    ...get(x), ...i32x4Const(0x007fffff), ...op.v128And, ...i32x4Const(0x3f800000), ...op.v128Or, ...set(x),
    // mantissas above sqrt(2) are halved and the exponent incremented (the mask is -1)
    ...get(x), ...f32x4Const(Math.SQRT2), ...op.f32x4Gt, ...set(t),
    ...get(x), ...mul(0.5), ...get(x), ...get(t), ...op.bitselect, ...set(x),
    ...get(e), ...get(t), ...op.i32x4Sub, ...op.f32x4ConvertI32x4S, ...set(e),
    // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), as an odd series
    ...get(x), ...add(-1), ...get(x), ...add(1), ...op.f32x4Div, ...set(x),
    ...get(x), ...get(x), ...op.f32x4Mul, ...set(t),
    ...get(t), ...mul(2 / 9), ...add(2 / 7), ...get(t), ...op.f32x4Mul, ...add(2 / 5),
    ...get(t), ...op.f32x4Mul, ...add(2 / 3), ...get(t), ...op.f32x4Mul, ...add(2), ...get(x), ...op.f32x4Mul,
    ...get(e), ...mul(-2.12194440e-4), ...op.f32x4Add, ...get(e), ...mul(0.693359375), ...op.f32x4Add,
  ];
}

/** Adds the four float32 lanes of local `v` into the f64x2 accumulators a and b. */
function accumulate(v: number, a: number, b: number): number[] {
  const high = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
  // prettier-ignore
  return [
    ...get(a), ...get(v), ...op.f64x2PromoteLowF32x4, ...op.f64x2Add, ...set(a),
    ...get(b), ...get(v), ...get(v), ...op.shuffle(high), ...op.f64x2PromoteLowF32x4, ...op.f64x2Add,
    ...set(b),
  ];
}

/** Stores the sum of the f64x2 accumulators a and b at `scratch + offset`. */
function storeSum(at: { scratch: number; offset: number }, a: number, b: number): number[] {
  // prettier-ignore
  return [
    ...get(at.scratch),
    ...get(a), ...op.f64x2ExtractLane(0), ...get(a), ...op.f64x2ExtractLane(1), ...op.f64Add,
    ...get(b), ...op.f64x2ExtractLane(0), ...op.f64Add, ...get(b), ...op.f64x2ExtractLane(1), ...op.f64Add,
    ...op.f64Store(at.offset),
  ];
}

// Interleaves g and h lanes into (g0 h0 g1 h1) and (g2 h2 g3 h3).
const LOW_PAIRS = [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23];
const HIGH_PAIRS = [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31];

/**
 * logistic(margins, labels, weights, gh, count, scratch, mode): rows [0, count), count a
 * multiple of 4; weights 0 means all 1. Sums go to the scratch (see {@link SCRATCH}).
 */
export const logisticKernel: WasmFunction = (() => {
  const [margins, labels, weights, gh, count, scratch, mode] = [0, 1, 2, 3, 4, 5, 6];
  const [i, end] = [7, 8];
  const [m, y, w, ws, x, p, g, h, k, r, loss, acc0, acc1, accW0, accW1, spw, q] = [
    9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
  ];
  const at = (base: number): number[] => [...get(base), ...get(i), ...op.add];
  const ghAt = [...get(gh), ...get(i), ...i32(1), ...op.shl, ...op.add];
  const when = (value: LossMode, body: number[]): number[] => [
    ...get(mode),
    ...i32(value),
    ...op.eq,
    ...op.if,
    ...body,
    ...op.end,
  ];
  // prettier-ignore
  const body = [
    ...get(count), ...i32(2), ...op.shl, ...set(end),
    ...get(scratch), ...op.f32Load(SCRATCH.scalePosWeight), ...op.f32x4Splat, ...set(spw),
    ...i32(0), ...set(i),
    ...op.block, ...op.loop,
    ...get(i), ...get(end), ...op.geU, ...op.brIf(1),
    ...at(margins), ...op.v128Load(), ...set(m),
    ...at(labels), ...op.v128Load(), ...set(y),
    ...get(weights), ...op.if, ...at(weights), ...op.v128Load(), ...set(w),
    ...op.else, ...f32x4Const(1), ...set(w), ...op.end,
    // ws = w * scale_pos_weight where y == 1
    ...get(w), ...get(spw), ...op.f32x4Mul, ...get(w), ...get(y), ...f32x4Const(1), ...op.f32x4Eq,
    ...op.bitselect, ...set(ws),
    // p = 1 / (1 + exp(-m)), q = 1 - p
    ...f32x4Const(0), ...get(m), ...op.f32x4Sub, ...set(x),
    ...f32x4Const(1), ...f32x4Const(1), ...exp(x, k, r), ...op.f32x4Add, ...op.f32x4Div, ...set(p),
    ...f32x4Const(1), ...get(p), ...op.f32x4Sub, ...set(q),
    // g = (p - y) ws, h = max(p q, 1e-16) ws, stored interleaved
    ...get(p), ...get(y), ...op.f32x4Sub, ...get(ws), ...op.f32x4Mul, ...set(g),
    ...get(p), ...get(q), ...op.f32x4Mul, ...f32x4Const(1e-16), ...op.f32x4Max, ...get(ws), ...op.f32x4Mul,
    ...set(h),
    ...ghAt, ...get(g), ...get(h), ...op.shuffle(LOW_PAIRS), ...op.v128Store(0),
    ...ghAt, ...get(g), ...get(h), ...op.shuffle(HIGH_PAIRS), ...op.v128Store(16),
    // loss = -(y log(max(p, eps)) + (1 - y) log(max(q, eps)))
    ...when(LossMode.Logloss, [
      ...get(p), ...f32x4Const(1e-16), ...op.f32x4Max, ...set(x), ...log(x, k, r),
      ...get(y), ...op.f32x4Mul, ...set(loss),
      ...get(q), ...f32x4Const(1e-16), ...op.f32x4Max, ...set(x), ...log(x, k, r),
      ...f32x4Const(1), ...get(y), ...op.f32x4Sub, ...op.f32x4Mul, ...get(loss), ...op.f32x4Add,
      ...op.f32x4Neg, ...set(loss),
    ]),
    // loss = -log(max(y == 1 ? p : q, eps))
    ...when(LossMode.Logloss01, [
      ...get(p), ...get(q), ...get(y), ...f32x4Const(1), ...op.f32x4Eq, ...op.bitselect,
      ...f32x4Const(1e-16), ...op.f32x4Max, ...set(x), ...log(x, k, r), ...op.f32x4Neg, ...set(loss),
    ]),
    // loss = p > t ? 1 - y : y
    ...when(LossMode.Error, [
      ...f32x4Const(1), ...get(y), ...op.f32x4Sub, ...get(y),
      ...get(p), ...get(scratch), ...op.f32Load(SCRATCH.threshold), ...op.f32x4Splat, ...op.f32x4Gt,
      ...op.bitselect, ...set(loss),
    ]),
    ...get(mode), ...op.if,
    ...get(loss), ...get(w), ...op.f32x4Mul, ...set(loss),
    ...accumulate(loss, acc0, acc1),
    ...accumulate(w, accW0, accW1),
    ...op.end,
    ...get(i), ...i32(16), ...op.add, ...set(i),
    ...op.br(0),
    ...op.end, ...op.end,
    ...storeSum({ scratch, offset: SCRATCH.loss }, acc0, acc1),
    ...storeSum({ scratch, offset: SCRATCH.weight }, accW0, accW1),
  ];
  return { name: 'logistic', params: 7, returns: false, locals: 2, vectors: 17, body };
})();
