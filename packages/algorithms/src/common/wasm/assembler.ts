// Just enough of WebAssembly's binary format to write the SIMD kernels (k-NN's distance filter,
// XGBoost's histograms) by hand: LEB128 numbers, sections, a shared-memory import, and the
// instructions the kernels use. Node ships no assembler, and hand-written bytes keep the package
// free of a build step for .wat (or AssemblyScript) sources.

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A length-prefixed vector of already-encoded items. */
export function vector(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A length-prefixed UTF-8 name. */
export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** A section: its id, then its body's size and the body. */
export function section(id: number, body: readonly number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/**
 * A function: its i32 parameters, whether it returns an i32, its extra locals (i32 ones, then
 * v128 ones) and its code.
 */
export interface WasmFunction {
  name: string;
  params: number;
  returns: boolean;
  locals: number;
  vectors?: number;
  body: readonly number[];
}

/**
 * A module importing `env.memory` (shared, `pages` 64 KiB pages, growable to `maxPages`) and
 * exporting the functions.
 */
export function wasmModule(
  functions: readonly WasmFunction[],
  memory: { pages: number; maxPages: number },
): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(new Array<number[]>(f.params).fill([I32])),
    ...(f.returns ? vector([[I32]]) : vector([])),
  ]);
  // Memory limits flag 3: a maximum is given and the memory is shared.
  const imports = [
    [
      ...name('env'),
      ...name('memory'),
      0x02,
      0x03,
      ...uleb(memory.pages),
      ...uleb(memory.maxPages),
    ],
  ];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const codes = functions.map((f) => {
    const groups: number[][] = [];
    if (f.locals > 0) groups.push([...uleb(f.locals), I32]);
    if (f.vectors) groups.push([...uleb(f.vectors), V128]);
    const locals = vector(groups);
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}

const simd = (opcode: number, ...immediates: number[]): number[] => [
  0xfd,
  ...uleb(opcode),
  ...immediates,
];
/** A memory argument: log2 alignment and a constant byte offset. */
const memarg = (alignLog2: number, offset = 0): number[] => [alignLog2, ...uleb(offset)];

/** The instructions the kernels are written with. */
export const op = {
  get: (index: number): number[] => [0x20, ...uleb(index)],
  set: (index: number): number[] => [0x21, ...uleb(index)],
  tee: (index: number): number[] => [0x22, ...uleb(index)],
  i32: (value: number): number[] => [0x41, ...sleb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  or: [0x72],
  shl: [0x74],
  eq: [0x46],
  geS: [0x4e],
  geU: [0x4f],
  leS: [0x4c],
  ltU: [0x49],
  eqz: [0x45],
  load: (offset = 0): number[] => [0x28, ...memarg(2, offset)],
  load8u: (offset = 0): number[] => [0x2d, ...memarg(0, offset)],
  load16u: (offset = 0): number[] => [0x2f, ...memarg(1, offset)],
  store: (offset = 0): number[] => [0x36, ...memarg(2, offset)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  v128Load: (offset = 0): number[] => simd(0x00, ...memarg(3, offset)),
  v128Store: (offset = 0): number[] => simd(0x0b, ...memarg(3, offset)),
  v128Load64Zero: (offset = 0): number[] => simd(0x5d, ...memarg(3, offset)),
  v128Load32Splat: (offset = 0): number[] => simd(0x09, ...memarg(2, offset)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  f64x2PromoteLowF32x4: simd(0x5f),
  f64x2Add: simd(0xf0),
  f64x2ExtractLane: (lane: number): number[] => simd(0x21, lane),
  f64Add: [0xa0],
  f64Store: (offset = 0): number[] => [0x39, ...memarg(3, offset)],
  f32Load: (offset = 0): number[] => [0x2a, ...memarg(2, offset)],
  v128Const: (bytes: readonly number[]): number[] => simd(0x0c, ...bytes),
  shuffle: (lanes: readonly number[]): number[] => simd(0x0d, ...lanes),
  f32x4Splat: simd(0x13),
  f32x4Eq: simd(0x41),
  f32x4Lt: simd(0x43),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  bitselect: simd(0x52),
  f32x4Nearest: simd(0x6a),
  i32x4Bitmask: simd(0xa4),
  i32x4Shl: simd(0xab),
  i32x4ShrU: simd(0xad),
  i32x4Add: simd(0xae),
  i32x4Sub: simd(0xb1),
  f32x4Neg: simd(0xe1),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f32x4Min: simd(0xe8),
  f32x4Max: simd(0xe9),
  i32x4TruncSatF32x4S: simd(0xf8),
  f32x4ConvertI32x4S: simd(0xfa),
};

/** A v128.const of four equal float32 lanes. */
export function f32x4Const(value: number): number[] {
  const bytes = new Uint8Array(new Float32Array([value, value, value, value]).buffer);
  return op.v128Const([...bytes]);
}

/** A v128.const of four equal int32 lanes. */
export function i32x4Const(value: number): number[] {
  const bytes = new Uint8Array(new Int32Array([value, value, value, value]).buffer);
  return op.v128Const([...bytes]);
}
