import type { Random } from '../common/random.js';
import type { FmHyperparameters, InitSpec } from './hyperparameters.js';

/**
 * A factorization machine's parameters: the global bias w0, one linear weight per feature, and
 * `numFactors` factors per feature (row i of `factors` is v_i, at `i * numFactors`).
 */
export interface FmWeights {
  featureDim: number;
  numFactors: number;
  bias: Float32Array;
  linear: Float32Array;
  factors: Float32Array;
}

/** Allocates zeroed float32 arrays, in shared memory when worker threads will train them too. */
export function allocateFloats(length: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length);
}

/** Zeroed weights for `featureDim` features and `numFactors` factors. */
export function allocateWeights(shape: { featureDim: number; numFactors: number }): FmWeights {
  const { featureDim, numFactors } = shape;
  return {
    featureDim,
    numFactors,
    bias: new Float32Array(1),
    linear: new Float32Array(featureDim),
    factors: new Float32Array(featureDim * numFactors),
  };
}

/** Fills the weights as the `*_init_*` hyperparameters say, drawing from `random`. */
export function initializeWeights(
  weights: FmWeights,
  init: { hp: FmHyperparameters; random: Random },
): void {
  const { hp, random } = init;
  fill(weights.bias, { spec: hp.bias.init, random });
  fill(weights.linear, { spec: hp.linear.init, random });
  fill(weights.factors, { spec: hp.factors.init, random });
}

function fill(array: Float32Array, from: { spec: InitSpec; random: Random }): void {
  const { spec, random } = from;
  switch (spec.method) {
    case 'constant':
      array.fill(spec.value);
      return;
    case 'uniform':
      for (let i = 0; i < array.length; i++) array[i] = (2 * random() - 1) * spec.scale;
      return;
    case 'normal':
      // Box-Muller, both draws used.
      for (let i = 0; i < array.length; i += 2) {
        const radius = spec.sigma * Math.sqrt(-2 * Math.log(1 - random()));
        const angle = 2 * Math.PI * random();
        array[i] = radius * Math.cos(angle);
        if (i + 1 < array.length) array[i + 1] = radius * Math.sin(angle);
      }
      return;
  }
}
