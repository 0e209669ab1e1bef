import { readCsvBatches } from '@plinth/algorithms';
import { scoreKMeans } from '@plinth/algorithms/kmeans/fit';
import { loadModel } from '@plinth/algorithms/kmeans/model';

/**
 * The inertia (sum of squared distances from every row to its nearest center) of the k-means
 * model in `modelDir` over a headerless, label-free CSV file. Both sides' centers go through
 * this one function, so their figures are comparable.
 */
export async function kmeansInertia(modelDir: string, csv: string): Promise<number> {
  const centers = await loadModel(modelDir);
  const batches = readCsvBatches(csv, { labelColumns: 0, batchSize: 10_000 });
  return (await scoreKMeans(batches, centers)).ssd;
}
