import { RecordType, writeRecordIO } from '../data/index.js';
import { type Centers, assignNearest } from './kernels.js';

/** Each row's nearest center and its Euclidean distance, SageMaker k-means's inference output. */
export interface Predictions {
  closestCluster: Int32Array;
  distanceToCluster: Float64Array;
}

/** A request the client must fix; the server answers it with `status` and the message. */
export class InvocationError extends Error {
  readonly code = 'InvocationError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'InvocationError';
  }
}

/** Assigns every row to its nearest center; rows must have the model's feature count. */
export function predictClusters(rows: readonly Float32Array[], centers: Centers): Predictions {
  const dim = centers.dim;
  const points = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim)
      throw new InvocationError(
        400,
        `Record ${i} has ${row.length} features; this model expects feature_dim=${dim}.`,
      );
    points.set(row, i * dim);
  });
  const closestCluster = new Int32Array(rows.length);
  const squared = new Float64Array(rows.length);
  assignNearest(points, centers, { rows: rows.length, assign: closestCluster, dist: squared });
  return { closestCluster, distanceToCluster: squared.map(Math.sqrt) };
}

/** Response media types the server can write, the first being the default for `*\/*`. */
export const ACCEPT_TYPES = [
  'application/json',
  'application/jsonlines',
  'text/csv',
  'application/x-recordio-protobuf',
] as const;
/** One of {@link ACCEPT_TYPES}. */
export type AcceptType = (typeof ACCEPT_TYPES)[number];

/** Picks the response type from an Accept header; JSON when absent or a wildcard. */
export function chooseAccept(header: string | undefined): AcceptType {
  if (header === undefined || header.trim() === '') return 'application/json';
  for (const part of header.split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    const known = ACCEPT_TYPES.find((t) => t === type);
    if (known) return known;
    if (type === '*/*' || type === 'application/*') return 'application/json';
    if (type === 'text/*') return 'text/csv';
  }
  throw new InvocationError(
    406,
    `Accept '${header}' is not supported; use one of: ${ACCEPT_TYPES.join(', ')}.`,
  );
}

/** Serializes predictions in SageMaker k-means's response shape for the chosen type. */
export function formatPredictions(p: Predictions, accept: AcceptType): Buffer {
  const items = Array.from(p.closestCluster, (c, i) => ({
    closest_cluster: c,
    distance_to_cluster: p.distanceToCluster[i]!,
  }));
  switch (accept) {
    case 'application/json':
      return Buffer.from(JSON.stringify({ predictions: items }));
    case 'application/jsonlines':
      return Buffer.from(items.map((item) => `${JSON.stringify(item)}\n`).join(''));
    case 'text/csv':
      return Buffer.from(
        items.map((i) => `${i.closest_cluster},${i.distance_to_cluster}\n`).join(''),
      );
    case 'application/x-recordio-protobuf':
      // As SageMaker's k-means: the outputs are in each Record's label map, one float each.
      return writeRecordIO(
        items.map((item) =>
          RecordType.encode({
            label: {
              closest_cluster: { float32_tensor: { values: [item.closest_cluster] } },
              distance_to_cluster: { float32_tensor: { values: [item.distance_to_cluster] } },
            },
          }).finish(),
        ),
      );
  }
}
