// SageMaker's PCA built-in through the AWS SDK on real data (vega-datasets' cars), checked
// against scikit-learn's PCA on the same rows: the endpoint's projections equal scikit-learn's
// transform up to each component's sign. As SageMaker's PCA does, the endpoint lists the
// components from the least to the most variance, scikit-learn from the most.
import { describe, expect, it } from 'vitest';
import {
  builtinImage,
  deployJob,
  invokeText,
  trainBuiltin,
  useLivePlinth,
} from './support/builtins.js';
import { cars, toCsv } from './support/datasets.js';
import { hasPython, runPython } from './support/python.js';

const hasSklearn = hasPython('sklearn');
const COMPONENTS = 3;

/** scikit-learn's PCA projections of the CSV rows on stdin. */
const SKLEARN_PCA = `
import sys, json, numpy as np
from sklearn.decomposition import PCA
x = np.loadtxt(sys.stdin, delimiter=",", ndmin=2)
pca = PCA(n_components=int(sys.argv[1]), svd_solver="full").fit(x)
print(json.dumps({"projections": pca.transform(x).tolist(), "explained": pca.explained_variance_.tolist()}))
`;

describe('PCA built-in through @aws-sdk/client-sagemaker on the cars data set', () => {
  const live = useLivePlinth();
  const data = cars();

  it.each(['regular', 'randomized'])(
    'trains in %s mode and serves the projections scikit-learn computes, up to sign',
    async (mode) => {
      const csv = toCsv(data.features);
      const job = await trainBuiltin(live, {
        bucket: 'pca',
        name: `pca-cars-${mode}`,
        image: builtinImage('pca'),
        hyperParameters: {
          feature_dim: String(data.columns.length),
          num_components: String(COMPONENTS),
          mini_batch_size: '100',
          algorithm_mode: mode,
        },
        channels: { train: { body: csv, contentType: 'text/csv;label_size=0' } },
      });
      const endpoint = await deployJob(live.sm, job);
      const answer = JSON.parse(
        await invokeText(live.runtime, endpoint, { body: csv, contentType: 'text/csv' }),
      ) as { projections: { projection: number[] }[] };
      expect(answer.projections).toHaveLength(data.features.length);
      expect(answer.projections[0]!.projection).toHaveLength(COMPONENTS);
      if (!hasSklearn) return;

      const reference = JSON.parse(
        runPython(SKLEARN_PCA, { args: [String(COMPONENTS)], input: csv }),
      ) as { projections: number[][] };
      for (let c = 0; c < COMPONENTS; c++) {
        const ours = answer.projections.map((p) => p.projection[COMPONENTS - 1 - c]!);
        const theirs = reference.projections.map((p) => p[c]!);
        const scale = Math.max(...theirs.map(Math.abs));
        // The sign of a component is arbitrary: align on the first row with a clear value.
        const sign = Math.sign(ours[0]!) === Math.sign(theirs[0]!) ? 1 : -1;
        const worst = Math.max(...ours.map((v, i) => Math.abs(sign * v - theirs[i]!)));
        expect(worst / scale, `component ${c}`).toBeLessThan(1e-3);
      }
    },
  );
});
