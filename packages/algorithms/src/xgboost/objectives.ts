// How xgboost 1.7 turns base_score into the starting margin (`ObjFunction::ProbToMargin`) and
// margins into predictions (`PredTransform`), per objective, in float32 as xgboost computes.

/** What `predict` returns for an objective, applied to each row's margins. */
export type OutputTransform = 'identity' | 'sigmoid' | 'exp' | 'softmax' | 'argmax' | 'hinge';

/** The link between base_score and the margin, and the prediction transform of an objective. */
export interface ObjectiveRule {
  /** base_score (output space) to margin: identity, logit or log. */
  link: 'identity' | 'logit' | 'log';
  transform: OutputTransform;
}

const IDENTITY: ObjectiveRule = { link: 'identity', transform: 'identity' };
const LOGISTIC: ObjectiveRule = { link: 'logit', transform: 'sigmoid' };
const LOG_LINK: ObjectiveRule = { link: 'log', transform: 'exp' };

/** Every objective xgboost 1.7 knows, by the name its JSON model stores. */
export const OBJECTIVES: Readonly<Record<string, ObjectiveRule>> = {
  'reg:squarederror': IDENTITY,
  'reg:linear': IDENTITY,
  'reg:squaredlogerror': IDENTITY,
  'reg:pseudohubererror': IDENTITY,
  'reg:absoluteerror': IDENTITY,
  'reg:logistic': LOGISTIC,
  'binary:logistic': LOGISTIC,
  // LogisticRaw keeps base_score as the margin (its ProbToMargin is the identity).
  'binary:logitraw': IDENTITY,
  'binary:hinge': { link: 'identity', transform: 'hinge' },
  'count:poisson': LOG_LINK,
  'reg:gamma': LOG_LINK,
  'reg:tweedie': LOG_LINK,
  'survival:cox': LOG_LINK,
  'survival:aft': LOG_LINK,
  'multi:softprob': { link: 'identity', transform: 'softmax' },
  'multi:softmax': { link: 'identity', transform: 'argmax' },
  'rank:pairwise': IDENTITY,
  'rank:ndcg': IDENTITY,
  'rank:map': IDENTITY,
};

/** The starting margin for base_score (float32, as `ProbToMargin`); throws when out of domain. */
export function baseMargin(baseScore: number, rule: ObjectiveRule): number {
  const score = Math.fround(baseScore);
  switch (rule.link) {
    case 'identity':
      return score;
    case 'logit':
      if (!(score > 0 && score < 1))
        throw new RangeError(`base_score must be in (0, 1) for logistic loss, got ${baseScore}`);
      return Math.fround(-Math.log(Math.fround(Math.fround(1 / score) - 1))) + 0; // no -0
    case 'log':
      if (!(score > 0))
        throw new RangeError(`base_score must be positive for a log link, got ${baseScore}`);
      return Math.fround(Math.log(score));
  }
}

/**
 * Transforms `groups` margins per row in place into predictions. Softmax and argmax keep one
 * value per row (the class index for argmax) in the first `rows` entries when `groups > 1`;
 * {@link transformedWidth} says how many values per row remain.
 */
export function applyTransform(
  margins: Float32Array,
  groups: number,
  transform: OutputTransform,
): void {
  const n = margins.length;
  switch (transform) {
    case 'identity':
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) margins[i] = sigmoid(margins[i]!);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) margins[i] = Math.exp(margins[i]!);
      return;
    case 'hinge':
      for (let i = 0; i < n; i++) margins[i] = margins[i]! > 0 ? 1 : 0;
      return;
    case 'softmax':
      for (let start = 0; start < n; start += groups) softmax(margins, start, groups);
      return;
    case 'argmax':
      for (let r = 0, start = 0; start < n; r++, start += groups)
        margins[r] = argmax(margins, start, groups);
      return;
  }
}

/** Values per row after {@link applyTransform}: 1 for argmax, else the group count. */
export function transformedWidth(groups: number, transform: OutputTransform): number {
  return transform === 'argmax' ? 1 : groups;
}

/** xgboost's `common::Sigmoid`: `1 / (expf(min(-x, 88.7)) + 1)` in float32. */
function sigmoid(x: number): number {
  const e = Math.fround(Math.exp(Math.min(-x, 88.7)));
  return Math.fround(1 / Math.fround(e + 1));
}

/** xgboost's `common::Softmax`: max-shifted expf, sum in double, divide in float32. */
function softmax(values: Float32Array, start: number, count: number): void {
  let max = values[start]!;
  for (let i = start + 1; i < start + count; i++) max = Math.max(max, values[i]!);
  let sum = 0;
  for (let i = start; i < start + count; i++) {
    const e = Math.fround(Math.exp(Math.fround(values[i]! - max)));
    values[i] = e;
    sum += e;
  }
  const total = Math.fround(sum);
  for (let i = start; i < start + count; i++) values[i] = values[i]! / total;
}

/** The first index of the largest value, as `std::max_element` (multi:softmax's class). */
function argmax(values: Float32Array, start: number, count: number): number {
  let best = 0;
  for (let k = 1; k < count; k++) if (values[start + k]! > values[start + best]!) best = k;
  return best;
}
