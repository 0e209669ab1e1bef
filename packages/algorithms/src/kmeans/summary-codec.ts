import type { StreamingSummary } from './fit.js';

/** Fields before the centers: count, dim, records. */
const HEADER = 3;

/** A streaming summary as bytes, for another host: count, dim, records, centers, weights. */
export function encodeSummary(summary: StreamingSummary): Uint8Array {
  const { count, dim, values } = summary.centers;
  const out = new Float64Array(HEADER + count * dim + count);
  out.set([count, dim, summary.records]);
  out.set(values.subarray(0, count * dim), HEADER);
  out.set(summary.weights.subarray(0, count), HEADER + count * dim);
  return new Uint8Array(out.buffer);
}

/** The summary `encodeSummary` wrote. */
export function decodeSummary(bytes: Uint8Array): StreamingSummary {
  const copy = new Float64Array(new Uint8Array(bytes).buffer);
  const [count = 0, dim = 0, records = 0] = copy;
  const values = copy.slice(HEADER, HEADER + count * dim);
  const weights = copy.slice(HEADER + count * dim, HEADER + count * dim + count);
  return { centers: { values, count, dim }, weights, records };
}
