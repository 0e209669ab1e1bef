import { F32, I32, V128, name, op, section, uleb, vector } from '../../common/wasm/assembler.js';
import { type WasmMemory, type WasmModule, wasm } from '../../common/wasm/runtime.js';

/**
 * The SIMD distance filter, hand-assembled WebAssembly (about 9 times the speed of the same loop
 * in JavaScript). One call scores a block of 4 queries against `groups` panels of 4 points:
 *
 * `filter(query, thresholds, panels, groups, dim, bias, alpha, candidates, firstGroup) -> count`
 *
 * - `query`: byte address of the 4 queries interleaved (query i's coordinate j at `16j + 4i`);
 * - `thresholds`: 4 float32s, one per query;
 * - `panels`: the first group (group g's point l, coordinate j at `g·16·dim + 16j + 4l`);
 * - `groups`: how many groups, even (the kernel takes two at a time);
 * - `bias`: 4 float32s per group; each score is `bias − alpha · (query · point)`;
 * - `candidates`: where to write, for every (query, group) with a score below the query's
 *   threshold, two int32s: `firstGroup + g` and `16 · query + lane mask`.
 *
 * Returns the number of candidates written. Scores are float32 sums, so callers rescore the
 * candidates exactly and keep the threshold loose enough to cover float32 rounding.
 */
export function filterKernelBytes(): Uint8Array {
  const [QUERY, THRESHOLDS, PANELS, GROUPS, DIM, BIAS, ALPHA, CANDIDATES, FIRST] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  // i32 locals
  const [G, J, JEND, P, P2, COUNT, MASK, STRIDE] = [9, 10, 11, 12, 13, 14, 15, 16];
  // v128 locals
  const ACC = [17, 18, 19, 20, 21, 22, 23, 24];
  const T = [25, 26, 27, 28];
  const [X0, X1, ALPHAV, Q] = [29, 30, 31, 32];

  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]): void => {
    for (const part of parts) code.push(...part);
  };
  // STRIDE = JEND = dim * 16 bytes: one group's panel.
  emit(op.get(DIM), op.i32(4), op.shl, op.tee(STRIDE), op.set(JEND));
  for (let i = 0; i < 4; i++) emit(op.get(THRESHOLDS), op.v128Load32Splat(4 * i), op.set(T[i]!));
  emit(op.get(ALPHA), op.f32x4Splat, op.set(ALPHAV));
  emit(op.get(PANELS), op.set(P));
  emit(op.block, op.loop);
  {
    emit(op.get(G), op.get(GROUPS), op.ltU, op.eqz, op.brIf(1));
    for (const acc of ACC) emit(op.v128Zero, op.set(acc));
    emit(op.get(P), op.get(STRIDE), op.add, op.set(P2));
    emit(op.i32(0), op.set(J));
    emit(op.block, op.loop);
    {
      emit(op.get(P), op.get(J), op.add, op.v128Load(0), op.set(X0));
      emit(op.get(P2), op.get(J), op.add, op.v128Load(0), op.set(X1));
      for (let i = 0; i < 4; i++) {
        emit(op.get(QUERY), op.get(J), op.add, op.v128Load32Splat(4 * i));
        emit(op.tee(Q), op.get(X0), op.f32x4Mul, op.get(ACC[i]!), op.f32x4Add);
        emit(op.set(ACC[i]!));
        emit(op.get(Q), op.get(X1), op.f32x4Mul, op.get(ACC[4 + i]!), op.f32x4Add);
        emit(op.set(ACC[4 + i]!));
      }
      emit(op.get(J), op.i32(16), op.add, op.tee(J));
      emit(op.get(JEND), op.ltU, op.brIf(0));
    }
    emit(op.end, op.end);
    for (let half = 0; half < 2; half++)
      for (let i = 0; i < 4; i++) {
        // scores = bias - alpha * acc; mask = lanes below the threshold
        emit(op.get(BIAS), op.get(G), op.i32(4), op.shl, op.add);
        emit(op.v128Load(16 * half), op.get(ALPHAV), op.get(ACC[4 * half + i]!));
        emit(op.f32x4Mul, op.f32x4Sub, op.get(T[i]!), op.f32x4Lt, op.i32x4Bitmask);
        emit(op.tee(MASK), op.if);
        {
          emit(op.get(CANDIDATES), op.get(COUNT), op.i32(3), op.shl, op.add);
          emit(op.get(FIRST), op.get(G), op.add, op.i32(half), op.add);
          emit(op.store(0));
          emit(op.get(CANDIDATES), op.get(COUNT), op.i32(3), op.shl, op.add);
          emit(op.get(MASK), op.i32(16 * i), op.or, op.store(4));
          emit(op.get(COUNT), op.i32(1), op.add, op.set(COUNT));
        }
        emit(op.end);
      }
    emit(op.get(P2), op.get(STRIDE), op.add, op.set(P));
    emit(op.get(G), op.i32(2), op.add, op.set(G));
    emit(op.br(0));
  }
  emit(op.end, op.end, op.get(COUNT), op.end);

  const params = [I32, I32, I32, I32, I32, I32, F32, I32, I32].map((t) => [t]);
  const body = [
    ...vector([
      [...uleb(8), I32],
      [...uleb(16), V128],
    ]),
    ...code,
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector(params), ...vector([[I32]])]])),
    // Imports a shared memory, so every search thread works on the same index.
    ...section(
      2,
      vector([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(65536)]]),
    ),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name('filter'), 0x00, 0]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}

/** The kernel's exported function. */
// eslint-disable-next-line max-params -- the WebAssembly export's own signature
export type FilterFunction = (
  query: number,
  thresholds: number,
  panels: number,
  groups: number,
  dim: number,
  bias: number,
  alpha: number,
  candidates: number,
  firstGroup: number,
) => number;

let compiled: WasmModule | undefined;

/** The compiled kernel module (compiled once per thread). */
export function filterKernelModule(): WasmModule {
  compiled ??= new wasm.Module(filterKernelBytes());
  return compiled;
}

/** An instance of the kernel on a shared memory. */
export function instantiateFilter(memory: WasmMemory): FilterFunction {
  const instance = new wasm.Instance(filterKernelModule(), { env: { memory } });
  return instance.exports.filter as FilterFunction;
}
