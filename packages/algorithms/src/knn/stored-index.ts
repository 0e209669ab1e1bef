import type { Similarity } from './panels.js';

/** SageMaker's index types. */
export const INDEX_TYPES = ['faiss.Flat', 'faiss.IVFFlat', 'faiss.IVFPQ'] as const;
/** One of {@link INDEX_TYPES}. */
export type IndexType = (typeof INDEX_TYPES)[number];

/** An exact index: every vector, in sample order. */
export interface StoredFlat {
  type: 'faiss.Flat';
  similarity: Similarity;
  dim: number;
  vectors: Float32Array;
}

/** The coarse quantizer of an IVF index: its centroids and each list's size (lists in order). */
export interface StoredLists {
  centroids: Float32Array;
  listSizes: Int32Array;
  /** How lists are chosen for a query: nearest centroids (l2) or largest inner products (ip). */
  probe: Similarity;
  /** Lists a query scans. */
  nprobe: number;
}

/** An inverted-file index: vectors grouped by list, in list order. */
export interface StoredIvfFlat extends StoredLists {
  type: 'faiss.IVFFlat';
  similarity: Similarity;
  dim: number;
  vectors: Float32Array;
}

/** An inverted file of product-quantized residuals (L2 only): `m` 8-bit codes per vector. */
export interface StoredIvfPq extends StoredLists {
  type: 'faiss.IVFPQ';
  similarity: 'l2';
  dim: number;
  m: number;
  /** Centroids per sub-quantizer (256 unless fewer vectors were trained on). */
  ksub: number;
  /** `m × ksub × dim/m` floats. */
  codebooks: Float32Array;
  /** `count × m` codes, list order. */
  codes: Uint8Array;
}

/** An index as training writes it and serving reads it; labels follow the same order. */
export type StoredIndex = StoredFlat | StoredIvfFlat | StoredIvfPq;

/** How many vectors a stored index holds. */
export function storedCount(index: StoredIndex): number {
  return index.type === 'faiss.IVFPQ'
    ? index.codes.length / index.m
    : index.vectors.length / index.dim;
}
