import { type AcceptType, packRows } from '../common/invocation.js';
import { RecordType, writeRecordIO } from '../data/index.js';
import { type Centers, assignNearest } from './kernels.js';

/** Each row's nearest center and its Euclidean distance, SageMaker k-means's inference output. */
export interface Predictions {
  closestCluster: Int32Array;
  distanceToCluster: Float64Array;
}

/** Assigns every row to its nearest center; rows must have the model's feature count. */
export function predictClusters(rows: readonly Float32Array[], centers: Centers): Predictions {
  const points = packRows(rows, centers.dim);
  const closestCluster = new Int32Array(rows.length);
  const squared = new Float64Array(rows.length);
  assignNearest(points, centers, { rows: rows.length, assign: closestCluster, dist: squared });
  return { closestCluster, distanceToCluster: squared.map(Math.sqrt) };
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
