import { describe, expect, it } from 'vitest';
import type { Predictions } from './predictor.js';
import { formatPythonFloat, pythonJsonDumps } from './python-format.js';
import { hasXGBoost, runPython } from './python-reference.js';
import { encodePredictions } from './responses.js';
import { encodeSelected, parseSelectableKeys, selectPredictions } from './selectable-output.js';

const f32 = (values: number[]): Float32Array => Float32Array.from(values);
const binary: Predictions = { values: f32([0.1, 0.75, 0.5, 1e-7]), rows: 4, width: 1 };
const softprob: Predictions = { values: f32([0.2, 0.3, 0.5, 0.6, 0.3, 0.1]), rows: 2, width: 3 };

describe('formatPythonFloat', () => {
  it('writes the float reprs Python writes', () => {
    expect(formatPythonFloat(1)).toBe('1.0');
    expect(formatPythonFloat(0.0001)).toBe('0.0001');
    expect(formatPythonFloat(0.00001)).toBe('1e-05');
    expect(formatPythonFloat(1.5e16)).toBe('1.5e+16');
    expect(formatPythonFloat(-123.25)).toBe('-123.25');
    expect(formatPythonFloat(NaN)).toBe('nan');
  });

  it.runIf(hasXGBoost())('agrees with Python on float32 values of every magnitude', () => {
    const values: number[] = [0, 1, -2, 1e22, 123456789012345680, 1e-300];
    for (let e = -30; e <= 30; e++) values.push(Math.fround(1.2345678 * 10 ** e), -(10 ** e));
    const python = runPython<string[]>(
      'import sys, json\nemit([repr(float(v)) for v in json.load(sys.stdin)])',
      values,
    );
    expect(values.map(formatPythonFloat)).toEqual(python);
  });
});

describe.runIf(hasXGBoost())(
  'default responses, byte for byte as the Python server writes them',
  () => {
    // The container's encoders: csv.writer over np.array(preds.tolist()), json.dumps of
    // {"predictions": [{"score": p}]}, and "\n".join(map(str, preds)) + "\n" for batch.
    const script = String.raw`
import sys, io, csv, json, numpy as np
cases = json.load(sys.stdin)
out = {}
for name, (values, width) in cases.items():
  preds = np.array(values, dtype=np.float32)
  if width > 1: preds = preds.reshape(-1, width)
  lst = preds.tolist()
  arr = np.array(lst)
  if arr.ndim == 1: arr = arr.reshape(-1, 1)
  s = io.StringIO(); csv.writer(s, lineterminator="\n").writerows(arr)
  out[name] = {"csv": s.getvalue(), "json": json.dumps({"predictions": [{"score": p} for p in lst]}), "batch": "\n".join(map(str, lst)) + "\n"}
emit(out)
`;
    it('writes CSV, JSON and batch lines for one value and for class probabilities per row', () => {
      const cases = { binary, softprob };
      const expected = runPython<Record<string, { csv: string; json: string; batch: string }>>(
        script,
        Object.fromEntries(
          Object.entries(cases).map(([k, p]) => [k, [Array.from(p.values), p.width]]),
        ),
      );
      for (const [name, predictions] of Object.entries(cases)) {
        const python = expected[name]!;
        expect(encodePredictions(predictions, 'text/csv', false).toString()).toBe(python.csv);
        expect(encodePredictions(predictions, 'application/json', false).toString()).toBe(
          python.json,
        );
        expect(encodePredictions(predictions, 'application/json', true).toString()).toBe(
          python.batch,
        );
      }
    });
  },
);

describe('selectable output', () => {
  const keys = parseSelectableKeys(
    'Predicted_Label, probability,probabilities,labels,raw_scores,bogus',
  );

  it('answers binary:logistic keys in SageMaker order, unknown keys as NaN', () => {
    const selected = selectPredictions(binary, keys, { objective: 'binary:logistic', numClass: 0 });
    const p = Math.fround(0.75);
    expect(pythonJsonDumps(selected[1]!)).toBe(
      `{"predicted_label": 1, "labels": [0, 1], "probability": ${formatPythonFloat(p)}, "probabilities": [${formatPythonFloat(1 - p)}, ${formatPythonFloat(p)}], "raw_scores": [${formatPythonFloat(1 - p)}, ${formatPythonFloat(p)}], "bogus": NaN}`,
    );
    const csv = encodeSelected(selected.slice(0, 1), keys, { accept: 'text/csv', batch: false });
    expect(csv.toString()).toMatch(
      /^0,0\.10000000149011612,"\[0\.8999999985098839, 0\.10000000149011612\]","\[0, 1\]","\[.*\]",nan$/,
    );
  });

  it('answers multi:softprob with the winning class and every probability', () => {
    const selected = selectPredictions(
      softprob,
      ['predicted_label', 'probability', 'labels', 'predicted_score'],
      {
        objective: 'multi:softprob',
        numClass: 3,
      },
    );
    expect(selected.map((s) => pythonJsonDumps(s))).toEqual([
      `{"predicted_label": 2, "labels": [0, 1, 2], "probability": ${formatPythonFloat(Math.fround(0.5))}, "predicted_score": NaN}`,
      `{"predicted_label": 0, "labels": [0, 1, 2], "probability": ${formatPythonFloat(Math.fround(0.6))}, "predicted_score": NaN}`,
    ]);
    const lines = encodeSelected(selected, ['predicted_label'], {
      accept: 'application/jsonlines',
      batch: false,
    });
    expect(lines.toString()).toBe(
      `{"predicted_label": 2, "labels": [0, 1, 2], "probability": ${formatPythonFloat(Math.fround(0.5))}, "predicted_score": NaN}\n{"predicted_label": 0, "labels": [0, 1, 2], "probability": ${formatPythonFloat(Math.fround(0.6))}, "predicted_score": NaN}\n`,
    );
  });
});
