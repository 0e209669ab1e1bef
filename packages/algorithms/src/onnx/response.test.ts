import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { formatOutputs } from './response.js';

const results = {
  label: new ort.Tensor('int64', BigInt64Array.from([1n, 0n]), [2]),
  score: new ort.Tensor('float32', Float32Array.from([0.1, 0.9, 0.7, 0.3]), [2, 2]),
  total: new ort.Tensor('float32', Float32Array.from([2]), []),
};

describe('formatOutputs', () => {
  it('writes several outputs by name in JSON, and side by side in CSV', () => {
    const order = ['label', 'score'];
    expect(
      JSON.parse(formatOutputs(results, { order, accept: 'application/json' }).toString()),
    ).toEqual({
      outputs: {
        label: [1, 0],
        score: [
          [0.1, 0.9],
          [0.7, 0.3],
        ],
      },
    });
    expect(formatOutputs(results, { order, accept: 'text/csv' }).toString()).toBe(
      '1,0.1,0.9\n0,0.7,0.3\n',
    );
  });

  it('answers 406 when outputs with different row counts are asked for as CSV', () => {
    expect(() => formatOutputs(results, { order: ['score', 'total'], accept: 'text/csv' })).toThrow(
      "The model's outputs have different numbers of rows (score: 2, total: 1), so they cannot be written as CSV lines; accept application/json.",
    );
  });
});
