import { type Panels, buildPanels } from './panels.js';
import { type Pruning, canPrune, openPrunedFlat } from './pruned-flat.js';
import { residualCodeTerms } from './pq-tables.js';
import type { StoredIndex } from './stored-index.js';

/**
 * An index ready to search, in memory every search thread can share (WebAssembly memories and
 * SharedArrayBuffers), so it can be posted to worker threads without copying the vectors.
 */
export type OpenIndex =
  | { type: 'faiss.Flat'; panels: Panels; pruning?: Pruning }
  | { type: 'faiss.IVFFlat'; coarse: Panels; fine: Panels; nprobe: number }
  | {
      type: 'faiss.IVFPQ';
      coarse: Panels;
      /** List l's vectors are positions `[starts[l], starts[l + 1])`. */
      starts: Int32Array;
      codes: Uint8Array;
      codebooks: Float32Array;
      /** Per list, sub-quantizer and code: `‖r‖² + 2 c·r`, the query-independent ADC terms. */
      terms: Float32Array;
      dim: number;
      m: number;
      ksub: number;
      nprobe: number;
    };

/** Lays a stored index out for searching by `threads` threads. */
export function openIndex(index: StoredIndex, threads: number): OpenIndex {
  if (index.type === 'faiss.Flat') {
    const count = index.vectors.length / index.dim;
    if (canPrune({ similarity: index.similarity, dim: index.dim, count }))
      return { type: 'faiss.Flat', ...openPrunedFlat(index.vectors, { dim: index.dim, threads }) };
    return {
      type: 'faiss.Flat',
      panels: buildPanels({
        similarity: index.similarity,
        dim: index.dim,
        rows: index.vectors,
        listSizes: [index.vectors.length / index.dim],
        threads,
      }),
    };
  }
  const nlists = index.listSizes.length;
  const coarse = buildPanels({
    similarity: index.probe,
    dim: index.dim,
    rows: index.centroids,
    listSizes: [nlists],
    threads,
  });
  if (index.type === 'faiss.IVFFlat')
    return {
      type: 'faiss.IVFFlat',
      coarse,
      fine: buildPanels({
        similarity: index.similarity,
        dim: index.dim,
        rows: index.vectors,
        listSizes: index.listSizes,
        threads,
      }),
      nprobe: index.nprobe,
    };
  const starts = shared(new Int32Array(nlists + 1));
  for (let l = 0; l < nlists; l++) starts[l + 1] = starts[l]! + index.listSizes[l]!;
  return {
    type: 'faiss.IVFPQ',
    coarse,
    starts,
    codes: shared(index.codes),
    codebooks: shared(index.codebooks),
    terms: shared(residualCodeTerms(index)),
    dim: index.dim,
    m: index.m,
    ksub: index.ksub,
    nprobe: index.nprobe,
  };
}

/** A copy in a SharedArrayBuffer, which postMessage shares instead of copying. */
function shared<T extends Int32Array | Uint8Array | Float32Array>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  new Uint8Array(copy.buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return copy;
}
