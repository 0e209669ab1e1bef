// The histogram kernels in WebAssembly: the root histogram, one level's routing, and adding the
// listed rows to their nodes' histograms. Same arithmetic as histogram-kernel.ts, but without
// bounds checks and with each (gradient, hessian) pair added as one f64x2 vector. Instruction
// lists are laid out by hand (prettier-ignore), one stack expression per line.
import { type WasmFunction, op, wasmModule } from '../../common/wasm/assembler.js';
import { logisticKernel } from './logistic-kernel.js';
import { type WasmMemory, wasm } from '../../common/wasm/runtime.js';

const { get, set, tee, i32 } = op;

/** Locals of {@link addRow}. */
interface RowLocals {
  dim: number;
  row: number;
  base: number;
  j: number;
  addr: number;
  pair: number;
}

/**
 * For j in [0, dim): hist[base + code(row, j) * 8] += pair (f64x2). Codes are 16-bit histogram
 * indices (twice the slot), so a slot's byte offset is the code times 8.
 */
function addRow(l: RowLocals): number[] {
  // prettier-ignore
  return [
    ...i32(0), ...set(l.j),
    ...op.block, ...op.loop,
    ...get(l.j), ...get(l.dim), ...op.geU, ...op.brIf(1),
    ...get(l.base), ...get(l.row), ...get(l.j), ...i32(1), ...op.shl, ...op.add, ...op.load16u(),
    ...i32(3), ...op.shl, ...op.add, ...tee(l.addr),
    ...get(l.addr), ...op.v128Load(), ...get(l.pair), ...op.f64x2Add, ...op.v128Store(),
    ...get(l.j), ...i32(1), ...op.add, ...set(l.j),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
}

/** Loads row p's gradient pair (two float32 at gh + p * ghStride) as an f64x2 into `pair`. */
function loadPair(l: { gh: number; p: number; ghStride: number; pair: number }): number[] {
  // prettier-ignore
  return [
    ...get(l.gh), ...get(l.p), ...get(l.ghStride), ...op.mul, ...op.add,
    ...op.v128Load64Zero(), ...op.f64x2PromoteLowF32x4, ...set(l.pair),
  ];
}

/** `local += 1`. */
const increment = (local: number): number[] => [...get(local), ...i32(1), ...op.add, ...set(local)];

// addAll(codes, dim, gh, ghStride, count, sample, hist): every row (with sample[p] != 0 when
// sample is not 0) into the histogram at hist. Pointers are byte offsets; codes and gh start at
// the shard's first row.
const addAll: WasmFunction = (() => {
  const [codes, dim, gh, ghStride, count, sample, hist] = [0, 1, 2, 3, 4, 5, 6];
  const [p, row, j, addr, rowBytes, pair] = [7, 8, 9, 10, 11, 12];
  // prettier-ignore
  const body = [
    ...get(dim), ...i32(1), ...op.shl, ...set(rowBytes),
    ...i32(0), ...set(p),
    ...op.block, ...op.loop,
    ...get(p), ...get(count), ...op.geU, ...op.brIf(1),
    ...op.block,
    ...get(sample), ...op.if,
    ...get(sample), ...get(p), ...op.add, ...op.load8u(), ...op.eqz, ...op.brIf(1),
    ...op.end,
    ...loadPair({ gh, p, ghStride, pair }),
    ...get(codes), ...get(p), ...get(rowBytes), ...op.mul, ...op.add, ...set(row),
    ...addRow({ dim, row, base: hist, j, addr, pair }),
    ...op.end,
    ...increment(p),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  return { name: 'addAll', params: 7, returns: false, locals: 5, vectors: 1, body };
})();

// route(codes, dim, nodeOf, count, tables, tableBytes, list, slots, sample) -> listed count.
// tables holds five int32 arrays of tableBytes each: feature, last, missingLeft, right, slot
// (see LevelTables). Moves each row to its child and lists the rows whose child has a slot.
const route: WasmFunction = (() => {
  const [codes, dim, nodeOf, count, tables, tableBytes, list, slots, sample] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const [p, k, n4, code, child, s, inc, t1, t2, t3, t4] = [
    9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
  ];
  const table = (t: number, local: number) => [
    ...get(tables),
    ...get(tableBytes),
    ...i32(t),
    ...op.mul,
    ...op.add,
    ...set(local),
  ];
  const entry = (base: number, index: number) => [
    ...get(base),
    ...get(index),
    ...op.add,
    ...op.load(),
  ];
  const at4 = (base: number, index: number) => [
    ...get(base),
    ...get(index),
    ...i32(2),
    ...op.shl,
    ...op.add,
  ];
  // prettier-ignore
  const body = [
    ...table(1, t1), ...table(2, t2), ...table(3, t3), ...table(4, t4),
    ...i32(0), ...set(p), ...i32(0), ...set(k),
    ...op.block, ...op.loop,
    ...get(p), ...get(count), ...op.geU, ...op.brIf(1),
    // n4 = nodeOf[p] * 4; code = codes[p * dim + feature[n]]
    ...at4(nodeOf, p), ...op.load(), ...i32(2), ...op.shl, ...set(n4),
    ...get(codes), ...get(p), ...get(dim), ...op.mul, ...entry(tables, n4), ...op.add,
    ...i32(1), ...op.shl, ...op.add, ...op.load16u(), ...set(code),
    // child = right[n] - ((code <= last[n]) | (code == missingLeft[n]))
    ...entry(t3, n4),
    ...get(code), ...entry(t1, n4), ...op.leS,
    ...get(code), ...entry(t2, n4), ...op.eq,
    ...op.or, ...op.sub, ...set(child),
    ...at4(nodeOf, p), ...get(child), ...op.store(),
    // s = slot[child]; list[k] = p; slots[k] = s; k += s >= 0 (and sampled)
    ...at4(t4, child), ...op.load(), ...set(s),
    ...at4(list, k), ...get(p), ...op.store(),
    ...at4(slots, k), ...get(s), ...op.store(),
    ...get(s), ...i32(0), ...op.geS, ...set(inc),
    ...get(sample), ...op.if,
    ...get(inc), ...get(sample), ...get(p), ...op.add, ...op.load8u(), ...op.and, ...set(inc),
    ...op.end,
    ...get(k), ...get(inc), ...op.add, ...set(k),
    ...increment(p),
    ...op.br(0),
    ...op.end, ...op.end,
    ...get(k),
  ];
  return { name: 'route', params: 9, returns: true, locals: 11, body };
})();

// addListed(codes, dim, gh, ghStride, list, slots, count, hist, slotBytes): adds listed row
// list[i] into the histogram at hist + slots[i] * slotBytes.
const addListed: WasmFunction = (() => {
  const [codes, dim, gh, ghStride, list, slots, count, hist, slotBytes] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const [i, p, row, base, j, addr, rowBytes, pair] = [9, 10, 11, 12, 13, 14, 15, 16];
  const at4 = (base: number) => [
    ...get(base),
    ...get(i),
    ...i32(2),
    ...op.shl,
    ...op.add,
    ...op.load(),
  ];
  // prettier-ignore
  const body = [
    ...get(dim), ...i32(1), ...op.shl, ...set(rowBytes),
    ...i32(0), ...set(i),
    ...op.block, ...op.loop,
    ...get(i), ...get(count), ...op.geU, ...op.brIf(1),
    ...at4(list), ...set(p),
    ...get(hist), ...at4(slots), ...get(slotBytes), ...op.mul, ...op.add, ...set(base),
    ...loadPair({ gh, p, ghStride, pair }),
    ...get(codes), ...get(p), ...get(rowBytes), ...op.mul, ...op.add, ...set(row),
    ...addRow({ dim, row, base, j, addr, pair }),
    ...increment(i),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  return { name: 'addListed', params: 9, returns: false, locals: 7, vectors: 1, body };
})();

/** The kernels' exports (all pointers are byte offsets into the shared memory). */
export interface HistKernels {
  addAll(
    codes: number,
    dim: number,
    gh: number,
    ghStride: number,
    count: number,
    sample: number,
    hist: number,
  ): void;
  route(
    codes: number,
    dim: number,
    nodeOf: number,
    count: number,
    tables: number,
    tableBytes: number,
    list: number,
    slots: number,
    sample: number,
  ): number;
  addListed(
    codes: number,
    dim: number,
    gh: number,
    ghStride: number,
    list: number,
    slots: number,
    count: number,
    hist: number,
    slotBytes: number,
  ): void;
  /** See logistic-kernel.ts. */
  logistic(
    margins: number,
    labels: number,
    weights: number,
    gh: number,
    count: number,
    scratch: number,
    mode: number,
  ): void;
}

/** Instantiates the kernels on a shared memory (synchronously: the module is tiny). */
export function histKernels(memory: WasmMemory): HistKernels {
  const pages = memory.buffer.byteLength / 65536;
  const bytes = wasmModule([addAll, route, addListed, logisticKernel], {
    pages,
    maxPages: pages,
  });
  const module = new wasm.Module(bytes);
  return new wasm.Instance(module, { env: { memory } }).exports as unknown as HistKernels;
}
