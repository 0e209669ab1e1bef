import { createRandom } from '../common/random.js';
import type { BatchSource } from '../data/batch-cache.js';
import type { ScatterPass } from './combine.js';
import { orientComponents } from './components.js';
import { centerProduct, momentsOf, multiply, scatterMatrix } from './covariance.js';
import type { PcaHyperparameters } from './hyperparameters.js';
import { type FirstPass, type PassEvents, firstPass, productPass } from './passes.js';
import {
  type Block,
  type Eigenpairs,
  POWER_ITERATIONS,
  RANDOMIZED_PRODUCTS,
  randomStart,
  randomizedEigen,
} from './randomized.js';
import { type Route, planRoute } from './route.js';
import { type Shards, createShards } from './shards.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * The seed of randomized mode's test matrix. SageMaker's PCA has no seed hyperparameter; a
 * fixed seed makes the same data and hyperparameters always give the same model.
 */
export const PCA_SEED = 0x9ca;

/** When iterating on the formed matrix: stop once the top eigenvalues' sum moves less than this. */
const MATRIX_TOLERANCE = 1e-10;

/** What the fit reports as it goes, so the program can log it SageMaker's way. */
export interface FitEvents extends PassEvents {
  /** After each pass over the records (randomized mode on wide data makes several). */
  pass(progress: { pass: number; passes: number }): void;
}

/** How the fit runs: its events, its threads, and how much data it may keep for later passes. */
export interface FitSetup {
  events: FitEvents;
  /** Threads summing the records (1 = the calling thread only; more need the built package). */
  threads: number;
  /** Bytes of float32 features kept in memory for further passes; default 1 GiB. */
  keepBytes?: number;
}

/** A fitted PCA: the top components, their eigenvalues, and the data's mean. */
export interface PcaFit {
  dim: number;
  count: number;
  /** `count × dim`, row i the unit component with the i-th largest eigenvalue. */
  components: Float64Array;
  /** Eigenvalues of the decomposed scatter matrix (not divided by n), largest first, ≥ 0. */
  eigenvalues: Float64Array;
  mean: Float64Array;
  records: number;
  /** The trace of the decomposed matrix: all the variation the components could explain. */
  trace: number;
  route: Route;
  /** Threads that summed the records. */
  threads: number;
}

/**
 * PCA over a stream of batches. Regular mode sums the exact scatter matrix in one pass and
 * decomposes it; randomized mode finds the top components by randomized subspace iteration,
 * either on that matrix (when feature_dim is small enough that forming it is the cheaper way to
 * apply it) or by passes over the records that never form it.
 */
export async function fitPca(
  source: BatchSource,
  hp: PcaHyperparameters,
  setup: FitSetup,
): Promise<PcaFit> {
  return (await fitOnHosts(source, hp, { ...setup, hosts: 1 }))!;
}

/**
 * {@link fitPca} for one of several hosts, each reading its own records: after the first pass
 * `combine` exchanges the hosts' scatter sums and gives the sums of all the records (the host
 * that writes the model), or undefined (a host whose part is then done; so is the fit).
 */
export async function fitOnHosts(
  source: BatchSource,
  hp: PcaHyperparameters,
  setup: FitSetup & {
    hosts: number;
    combine?: (pass: ScatterPass) => Promise<ScatterPass | undefined>;
  },
): Promise<PcaFit | undefined> {
  const route = planRoute(hp, { hosts: setup.hosts });
  const { events } = setup;
  events.info(route.description);
  const random = createRandom(PCA_SEED);
  const start =
    route.kind === 'exact'
      ? undefined
      : randomStart({ dim: hp.featureDim, width: route.width }, random);
  const shards = createShards({ dim: hp.featureDim, threads: setup.threads });
  try {
    const streaming = route.kind === 'streaming';
    const read = await firstPass(source, {
      hp,
      start: streaming ? start : undefined,
      shards,
      events,
      keepBytes: setup.keepBytes,
    });
    const first = streaming || !setup.combine ? read : await setup.combine(read);
    if (first === undefined) return undefined;
    const context = { source, hp, first, shards, events, random };
    const pairs = streaming
      ? await decomposeByPasses(context, start!)
      : await decomposeMatrix(context, route.kind === 'exact' ? undefined : start);
    const moments = momentsOf(first.sums, { shift: first.shift, subtractMean: hp.subtractMean });
    return {
      dim: hp.featureDim,
      count: pairs.count,
      components: orientComponents(pairs.vectors, { dim: hp.featureDim, count: pairs.count }),
      eigenvalues: pairs.values.map((v) => Math.max(v, 0)),
      mean: moments.mean,
      records: moments.rows,
      trace: Math.max(moments.trace, 0),
      route,
      threads: shards.threads,
    };
  } finally {
    await shards.close();
  }
}

interface DecomposeContext {
  source: BatchSource;
  hp: PcaHyperparameters;
  first: ScatterPass | FirstPass;
  shards: Shards;
  events: FitEvents;
  random: () => number;
}

/**
 * The top eigenpairs of the summed scatter matrix: by the full decomposition (no `start`), or
 * by randomized subspace iteration on it from `start`. A product with the formed matrix costs
 * d²·w, nothing beside the pass that summed it, so the iteration runs until the explained
 * variance settles.
 */
async function decomposeMatrix(context: DecomposeContext, start: Block | undefined) {
  const { hp, first, events, random } = context;
  events.pass({ pass: 1, passes: 1 });
  const matrix = scatterMatrix(first.sums, { shift: first.shift, subtractMean: hp.subtractMean });
  const { featureDim: dim, numComponents: count } = hp;
  if (start === undefined) {
    const eigen = symmetricEigen(matrix, dim);
    return {
      values: eigen.values.slice(0, count),
      vectors: eigen.vectors.slice(0, count * dim),
      count,
    };
  }
  return randomizedEigen(
    { basis: start, product: multiply(matrix, start) },
    {
      apply: async (basis) => multiply(matrix, basis),
      count,
      random,
      plan: { products: POWER_ITERATIONS + 1, tolerance: MATRIX_TOLERANCE },
    },
  );
}

/** Randomized subspace iteration by passes over the records (replayed when kept). */
async function decomposeByPasses(context: DecomposeContext, start: Block): Promise<Eigenpairs> {
  const { source, hp, first, shards, events, random } = context;
  const moments = momentsOf(first.sums, { shift: first.shift, subtractMean: hp.subtractMean });
  const kept = 'kept' in first && first.kept;
  const passes = RANDOMIZED_PRODUCTS;
  let pass = 1;
  events.pass({ pass, passes });
  const apply = async (basis: Block): Promise<Float64Array> => {
    const product = await productPass(basis, { source, hp, moments, shards, kept });
    events.pass({ pass: ++pass, passes });
    return product;
  };
  const product = centerProduct(first.sums, { basis: start, subtractMean: hp.subtractMean });
  return randomizedEigen(
    { basis: start, product },
    { apply, count: hp.numComponents, random, plan: { products: POWER_ITERATIONS + 1 } },
  );
}
