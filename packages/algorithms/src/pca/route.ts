import { HyperparameterError } from '../common/errors.js';
import { type PcaHyperparameters, sketchWidth } from './hyperparameters.js';
import { RANDOMIZED_PRODUCTS } from './randomized.js';

/**
 * The widest data whose `feature_dim × feature_dim` matrix Plinth forms: 4096 (128 MiB of
 * Float64, and an eigendecomposition of minutes rather than hours). Wider data needs
 * randomized mode, which then never forms the matrix.
 */
export const MAX_MATRIX_DIM = 4096;

/**
 * How a fit computes the components:
 * - `exact`: sum the scatter matrix, decompose it fully (regular mode; also randomized mode when
 *   its sketch would be as wide as the data);
 * - `matrix`: randomized subspace iteration on the summed matrix, when forming it costs less
 *   than the passes over the records would (feature_dim ≤ 16 × the sketch width);
 * - `streaming`: randomized subspace iteration by passes over the records, never forming it.
 */
export type Route =
  | { kind: 'exact'; description: string }
  | { kind: 'matrix' | 'streaming'; width: number; description: string };

/**
 * Chooses the route for the hyperparameters; fails when the matrix needed is too large. With
 * several hosts the scatter matrix is always formed: hosts combine it in one exchange, where
 * passes would need one per product.
 */
export function planRoute(hp: PcaHyperparameters, cluster: { hosts: number }): Route {
  const dim = hp.featureDim;
  if (hp.algorithmMode === 'regular') {
    if (dim > MAX_MATRIX_DIM)
      throw new HyperparameterError(
        `Hyperparameter feature_dim=${dim} is too large for algorithm_mode=regular, which forms the feature_dim x feature_dim covariance matrix (at most ${MAX_MATRIX_DIM}); use algorithm_mode=randomized.`,
      );
    return {
      kind: 'exact',
      description: `Regular mode: summing the exact ${dim} x ${dim} scatter matrix in one pass, then decomposing it`,
    };
  }
  const width = sketchWidth(hp);
  if (width >= dim)
    return {
      kind: 'exact',
      description: `Randomized mode with num_components + extra_components >= feature_dim (${dim}): the sketch would span every feature, so the exact decomposition is computed`,
    };
  // Forming the matrix costs about n·d²/2 multiply-adds; each product by passes costs 2·n·d·w.
  const matrixCheaper = dim / 2 <= RANDOMIZED_PRODUCTS * 2 * width && dim <= MAX_MATRIX_DIM;
  if (cluster.hosts > 1 && !matrixCheaper) {
    if (dim > MAX_MATRIX_DIM)
      throw new HyperparameterError(
        `Hyperparameter feature_dim=${dim} is too large for PCA on ${cluster.hosts} instances, which combine the feature_dim x feature_dim scatter matrix (at most ${MAX_MATRIX_DIM}); train on one instance.`,
      );
    return {
      kind: 'matrix',
      width,
      description: `Randomized mode on ${cluster.hosts} instances: sketch of ${width} directions, iterated on the scatter matrix that the instances sum together`,
    };
  }
  return matrixCheaper
    ? {
        kind: 'matrix',
        width,
        description: `Randomized mode: sketch of ${width} directions; feature_dim=${dim} is small enough that the scatter matrix is summed in one pass and the sketch iterated on it`,
      }
    : {
        kind: 'streaming',
        width,
        description: `Randomized mode: sketch of ${width} directions, ${RANDOMIZED_PRODUCTS} passes over the records (the ${dim} x ${dim} matrix is never formed)`,
      };
}
