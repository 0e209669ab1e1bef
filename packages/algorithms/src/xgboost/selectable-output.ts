import type { AcceptType } from '../common/invocation.js';
import { RecordType } from '../data/record-schema.js';
import { writeRecordIO } from '../data/recordio.js';
import type { Predictions } from './predictor.js';
import { type PythonDict, type PythonValue, pythonJsonDumps, pythonStr } from './python-format.js';
import { rowValue } from './responses.js';

// SageMaker's XGBoost "selectable inference output": with SAGEMAKER_INFERENCE_OUTPUT set
// (e.g. "predicted_label,probabilities"), each prediction becomes a dict of those keys.

const PREDICTED_LABEL = 'predicted_label';
const LABELS = 'labels';
const PROBABILITY = 'probability';
const PROBABILITIES = 'probabilities';
const RAW_SCORE = 'raw_score';
const RAW_SCORES = 'raw_scores';
const PREDICTED_SCORE = 'predicted_score';

/** The keys each objective can answer, as SageMaker's `VALID_OBJECTIVES`. */
export const SELECTABLE_OBJECTIVES: Readonly<Record<string, readonly string[]>> = {
  'reg:squarederror': [PREDICTED_SCORE],
  'reg:logistic': [PREDICTED_SCORE],
  'reg:gamma': [PREDICTED_SCORE],
  'reg:absoluteerror': [PREDICTED_SCORE],
  'reg:tweedie': [PREDICTED_SCORE],
  'binary:logistic': [PREDICTED_LABEL, LABELS, PROBABILITY, PROBABILITIES, RAW_SCORE, RAW_SCORES],
  'binary:logitraw': [PREDICTED_LABEL, LABELS, RAW_SCORE, RAW_SCORES],
  'binary:hinge': [PREDICTED_LABEL, LABELS, RAW_SCORE, RAW_SCORES],
  'multi:softmax': [PREDICTED_LABEL, LABELS, RAW_SCORE, RAW_SCORES],
  'multi:softprob': [PREDICTED_LABEL, LABELS, PROBABILITY, PROBABILITIES, RAW_SCORE, RAW_SCORES],
};

const KEY_ORDER = [
  PREDICTED_LABEL,
  LABELS,
  PROBABILITY,
  PROBABILITIES,
  RAW_SCORE,
  RAW_SCORES,
  PREDICTED_SCORE,
];

/** The objective and class count the selected values depend on. */
export interface SelectableModel {
  objective: string;
  numClass: number;
}

/** `SAGEMAKER_INFERENCE_OUTPUT` as SageMaker reads it: spaces dropped, lower-cased, comma-split. */
export function parseSelectableKeys(value: string): string[] {
  return value.replace(/ /g, '').toLowerCase().split(',');
}

/** Fails (at startup) for an objective SageMaker cannot answer selectable output for. */
export function checkSelectableObjective(objective: string): void {
  if (SELECTABLE_OBJECTIVES[objective] === undefined)
    throw new Error(
      `SAGEMAKER_INFERENCE_OUTPUT is set, but objective '${objective}' is unsupported for selectable inference predictions (supported: ${Object.keys(SELECTABLE_OBJECTIVES).join(', ')}).`,
    );
}

/**
 * One dict per row with the selected keys: the valid ones in SageMaker's fixed order, then
 * keys the objective cannot answer (or unknown ones) as NaN.
 */
export function selectPredictions(
  predictions: Predictions,
  keys: readonly string[],
  model: SelectableModel,
): PythonDict[] {
  const valid = SELECTABLE_OBJECTIVES[model.objective] ?? [];
  const ordered = KEY_ORDER.filter((key) => keys.includes(key) && valid.includes(key));
  const invalid = [...new Set(keys.filter((key) => !valid.includes(key)))];
  return Array.from({ length: predictions.rows }, (_, r) => {
    const raw = rowValue(predictions, r);
    const out: Record<string, PythonValue> = {};
    for (const key of ordered) out[key] = selectedValue(key, raw, model);
    for (const key of invalid) out[key] = NaN;
    return out;
  });
}

function selectedValue(key: string, raw: number | number[], model: SelectableModel): PythonValue {
  const { objective } = model;
  const scalar = typeof raw === 'number' ? raw : NaN;
  const list = typeof raw === 'number' ? [raw] : raw;
  const best = Math.max(...list);
  const pair = [1 - scalar, scalar];
  const softprob = objective === 'multi:softprob';
  switch (key) {
    case PREDICTED_LABEL:
      if (objective === 'binary:hinge' || objective === 'multi:softmax') return scalar;
      if (objective === 'binary:logistic') return { int: scalar > 0.5 ? 1 : 0 };
      if (objective === 'binary:logitraw') return { int: scalar > 0 ? 1 : 0 };
      return softprob ? { int: list.indexOf(best) } : NaN;
    case LABELS:
      if (objective.includes('binary:')) return [{ int: 0 }, { int: 1 }];
      if (objective.includes('multi:') && model.numClass > 0)
        return Array.from({ length: model.numClass }, (_, k) => ({ int: k }));
      return NaN;
    case PROBABILITY:
      return softprob ? best : objective === 'binary:logistic' ? scalar : NaN;
    case PROBABILITIES:
      return softprob ? list : objective === 'binary:logistic' ? pair : NaN;
    case RAW_SCORE:
      return softprob ? best : scalar;
    case RAW_SCORES:
      return softprob ? list : pair;
    default:
      return scalar; // predicted_score
  }
}

/** Writes the selected dicts in the response type, as SageMaker's `encode_selected_predictions`. */
export function encodeSelected(
  selected: readonly PythonDict[],
  keys: readonly string[],
  options: { accept: AcceptType; batch: boolean },
): Buffer {
  switch (options.accept) {
    case 'application/json':
      return Buffer.from(pythonJsonDumps({ predictions: selected }));
    case 'application/jsonlines':
      return Buffer.from(selected.map((entry) => `${pythonJsonDumps(entry)}\n`).join(''));
    case 'application/x-recordio-protobuf':
      return writeRecordIO(
        selected.map((entry) => {
          const label: Record<string, object> = {};
          for (const [key, value] of Object.entries(entry))
            label[key] = { float32_tensor: { values: flatNumbers(value) } };
          return RecordType.encode({ label }).finish();
        }),
      );
    case 'text/csv': {
      const lines = selected.map((entry) =>
        keys.map((key) => csvField(entry[key] ?? NaN)).join(','),
      );
      return Buffer.from(lines.join('\n') + (options.batch ? '\n' : ''));
    }
  }
}

function csvField(value: PythonValue): string {
  return Array.isArray(value) ? `"${pythonStr(value)}"` : pythonStr(value);
}

function flatNumbers(value: PythonValue): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(flatNumbers);
  if ('int' in value && typeof value.int === 'number') return [value.int];
  return [];
}
