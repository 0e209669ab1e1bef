import type { Sample } from './reservoir.js';

/** A host's sample as bytes for the primary host: count, seen, dim, then vectors and labels. */
export function encodeSample(sample: Sample): Uint8Array {
  const dim = sample.count > 0 ? sample.vectors.length / sample.count : 0;
  const out = new Uint8Array(16 + 4 * sample.vectors.length + 4 * sample.count);
  const view = new DataView(out.buffer);
  view.setUint32(0, sample.count, true);
  view.setFloat64(4, sample.seen, true);
  view.setUint32(12, dim, true);
  new Float32Array(out.buffer, 16, sample.vectors.length).set(sample.vectors);
  new Float32Array(out.buffer, 16 + 4 * sample.vectors.length, sample.count).set(sample.labels);
  return out;
}

/** The inverse of {@link encodeSample}. */
export function decodeSample(bytes: Uint8Array): Sample {
  const copy = new Uint8Array(bytes);
  const view = new DataView(copy.buffer);
  const count = view.getUint32(0, true);
  const seen = view.getFloat64(4, true);
  const dim = view.getUint32(12, true);
  const vectors = new Float32Array(copy.buffer, 16, count * dim);
  const labels = new Float32Array(copy.buffer, 16 + 4 * count * dim, count);
  return { vectors, labels, count, seen };
}
