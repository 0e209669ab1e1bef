import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseChoice,
  parseInteger,
  parseIntegerOrAuto,
  rejectUnknown,
} from '../common/hyperparameter-values.js';
import { INDEX_TYPES, type IndexType } from './stored-index.js';

/** What the k-NN model predicts from its neighbours' labels. */
export type PredictorType = 'classifier' | 'regressor';
/** SageMaker's distance measures. */
export const INDEX_METRICS = ['L2', 'INNER_PRODUCT', 'COSINE'] as const;
/** One of {@link INDEX_METRICS}. */
export type IndexMetric = (typeof INDEX_METRICS)[number];
/** Random projection by random signs, or the fast Johnson–Lindenstrauss transform. */
export type ReductionType = 'sign' | 'fjlt';
/** The values SageMaker allows for `faiss_index_pq_m`. */
export const PQ_M_VALUES = [1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 96] as const;

/** k-NN hyperparameters after validation. */
export interface KnnHyperparameters {
  featureDim: number;
  k: number;
  predictorType: PredictorType;
  sampleSize: number;
  /** Absent: no dimension reduction. */
  dimensionReduction?: { type: ReductionType; target: number };
  indexType: IndexType;
  indexMetric: IndexMetric;
  faissIndexIvfNlists: number | 'auto';
  /** Absent: Plinth chooses (see {@link defaultPqM}). */
  faissIndexPqM?: number;
  miniBatchSize: number;
}

const KNOWN = new Set([
  'feature_dim',
  'k',
  'predictor_type',
  'sample_size',
  'dimension_reduction_target',
  'dimension_reduction_type',
  'faiss_index_ivf_nlists',
  'faiss_index_pq_m',
  'index_metric',
  'index_type',
  'mini_batch_size',
]);

/**
 * Validates hyperparameters (strings, as SageMaker sends them) against SageMaker's k-NN table:
 * names, defaults, valid values, and its cross-field rules.
 */
export function parseHyperparameters(raw: Record<string, unknown>): KnnHyperparameters {
  rejectUnknown(raw, { name: 'k-NN', known: KNOWN });
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  const featureDim = parseInteger('feature_dim', value('feature_dim'), { min: 1 });
  const indexType = parseChoice('index_type', value('index_type') ?? 'faiss.Flat', INDEX_TYPES);
  const indexMetric = parseChoice('index_metric', value('index_metric') ?? 'L2', INDEX_METRICS);
  if (indexType === 'faiss.IVFPQ' && indexMetric !== 'L2')
    throw new HyperparameterError(
      `Hyperparameter 'index_metric' must be 'L2' when index_type is 'faiss.IVFPQ' (INNER_PRODUCT and COSINE are not supported with it), got '${indexMetric}'.`,
    );
  const hp: KnnHyperparameters = {
    featureDim,
    k: parseInteger('k', value('k'), { min: 1 }),
    predictorType: parseChoice(
      'predictor_type',
      required(value('predictor_type'), 'predictor_type', "'classifier' or 'regressor'"),
      ['classifier', 'regressor'] as const,
    ),
    sampleSize: parseInteger('sample_size', value('sample_size'), { min: 1 }),
    indexType,
    indexMetric,
    faissIndexIvfNlists: parseIntegerOrAuto(
      'faiss_index_ivf_nlists',
      value('faiss_index_ivf_nlists'),
    ),
    miniBatchSize: parseInteger('mini_batch_size', value('mini_batch_size'), {
      min: 1,
      fallback: 5000,
    }),
  };
  const reduction = dimensionReduction(value, featureDim);
  if (reduction) hp.dimensionReduction = reduction;
  const pqM = value('faiss_index_pq_m');
  if (pqM !== undefined) hp.faissIndexPqM = pqMValue(pqM);
  return hp;
}

function required(value: string | undefined, name: string, kind: string): string {
  if (value === undefined)
    throw new HyperparameterError(`Missing required hyperparameter '${name}' (${kind}).`);
  return value;
}

function dimensionReduction(
  value: (name: string) => string | undefined,
  featureDim: number,
): KnnHyperparameters['dimensionReduction'] {
  const type = value('dimension_reduction_type');
  const target = value('dimension_reduction_target');
  if (type === undefined) return undefined;
  const reduction = parseChoice('dimension_reduction_type', type, ['sign', 'fjlt'] as const);
  if (target === undefined)
    throw new HyperparameterError(
      `Hyperparameter 'dimension_reduction_target' is required when dimension_reduction_type is set (a positive integer less than feature_dim=${featureDim}).`,
    );
  const parsed = /^[+]?\d+$/.test(target) ? Number(target) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed >= featureDim)
    throw new HyperparameterError(
      `Hyperparameter 'dimension_reduction_target' must be a positive integer less than feature_dim=${featureDim}, got '${target}'.`,
    );
  return { type: reduction, target: parsed };
}

function pqMValue(value: string): number {
  const parsed = /^[+]?\d+$/.test(value) ? Number(value) : NaN;
  if (!(PQ_M_VALUES as readonly number[]).includes(parsed))
    throw new HyperparameterError(
      `Hyperparameter 'faiss_index_pq_m' must be one of ${PQ_M_VALUES.join(', ')}, got '${value}'.`,
    );
  return parsed;
}

/**
 * Plinth's `faiss_index_pq_m` when none is given (SageMaker documents no default): the largest
 * allowed value with at least two coordinates per sub-quantizer, 1 for a single coordinate.
 */
export function defaultPqM(dim: number): number {
  let best = 1;
  for (const m of PQ_M_VALUES) if (2 * m <= dim) best = m;
  return best;
}
