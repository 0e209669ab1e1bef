import { describe, expect, it } from 'vitest';
import { parseJsonLines, parseJsonRequest } from './json.js';

const rows = (list: Float32Array[]): number[][] => list.map((r) => Array.from(r));

describe('parseJsonRequest', () => {
  it('reads instances with features, dense data and sparse data', () => {
    const body = JSON.stringify({
      instances: [
        { features: [1.5, 2] },
        { data: { features: { values: [3, 4] } } },
        { data: { features: { keys: [0, 3], shape: [4], values: [5, 6] } } },
      ],
    });
    expect(rows(parseJsonRequest(body))).toEqual([
      [1.5, 2],
      [3, 4],
      [5, 0, 0, 6],
    ]);
  });

  it('accepts a single instance on its own', () => {
    expect(rows(parseJsonRequest('{"features": [1, 2]}'))).toEqual([[1, 2]]);
  });

  it('names the instance and element that is wrong', () => {
    expect(() =>
      parseJsonRequest('{"instances": [{"features": [1]}, {"features": [1, "a"]}]}'),
    ).toThrow('instances[1].features[1] must be a number, got "a".');
    expect(() => parseJsonRequest('{"instances": [{"values": [1]}]}')).toThrow(
      'instances[0]: expected {"features": [numbers]}',
    );
    expect(() =>
      parseJsonRequest(
        '{"instances": [{"data": {"features": {"keys": [9], "shape": [4], "values": [1]}}}]}',
      ),
    ).toThrow('instances[0].data.features.keys[0] must be an integer from 0 to 3.');
    expect(() => parseJsonRequest('{"instances": ')).toThrow('The request body is not valid JSON');
  });
});

describe('parseJsonLines', () => {
  it('reads one instance per line and skips blank lines', () => {
    const body = '{"features": [1, 2]}\n\n{"data": {"features": {"values": [3, 4]}}}\n';
    expect(rows(parseJsonLines(body))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('names the line of a bad instance', () => {
    expect(() => parseJsonLines('{"features": [1]}\n[1, 2]\n')).toThrow('Line 2: expected');
    expect(() => parseJsonLines('{"features": [1]}\n{oops\n')).toThrow('Line 2 is not valid JSON');
  });
});
