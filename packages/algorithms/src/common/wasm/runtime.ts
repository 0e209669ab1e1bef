// The few WebAssembly JavaScript APIs the kernels need, typed here because the package compiles
// against lib ES2023 and @types/node, which leave the WebAssembly namespace out.

/** A shared WebAssembly.Memory: its buffer is a SharedArrayBuffer, and it can be posted to workers. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}

/** A compiled WebAssembly.Module. */
export type WasmModule = object;

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}

/** Node's WebAssembly global. */
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A new shared memory of at least `bytes` bytes (fixed size: views on it never go stale). */
export function sharedMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}
