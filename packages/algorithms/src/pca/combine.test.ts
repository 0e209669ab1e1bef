import { describe, expect, it } from 'vitest';
import { combineScatterPasses, decodeScatterPass, encodeScatterPass } from './combine.js';
import { scatterMatrix } from './covariance.js';
import { PassAccumulator } from './pass-sums.js';
import { knownCovariance } from './test-data.js';

const DIM = 3;

function pass(rows: number[][], shift: number[]) {
  const accumulator = new PassAccumulator(DIM, {
    kind: 'scatter',
    shift: Float64Array.from(shift),
  });
  accumulator.add(Float32Array.from(rows.flat()), rows.length);
  return { sums: accumulator.finish(), shift: Float64Array.from(shift) };
}

describe('combineScatterPasses', () => {
  const data = knownCovariance({ count: 900, sds: [3, 1, 0.2], mean: [500, -20, 7] }, 2);
  const parts = [data.rows.slice(0, 200), data.rows.slice(200, 650), data.rows.slice(650)];

  it("gives the scatter matrix of all hosts' records, whatever each host's shift", () => {
    const hosts = parts.map((rows) => pass(rows, rows[0]!));
    const combined = combineScatterPasses(hosts);
    const whole = pass(data.rows, parts[0]![0]!);
    expect(combined.sums.rows).toBe(900);
    const about = { subtractMean: true };
    const expected = scatterMatrix(whole.sums, { ...about, shift: whole.shift });
    const actual = scatterMatrix(combined.sums, { ...about, shift: combined.shift });
    expected.forEach((v, i) => expect(actual[i]! / v).toBeCloseTo(1, 9));
    expect(combined.sums.squares / whole.sums.squares).toBeCloseTo(1, 10);
    combined.sums.sum.forEach((s, j) => expect(s).toBeCloseTo(whole.sums.sum[j]!, 6));
  });

  it('travels between hosts as bytes unchanged', () => {
    const sent = pass(parts[1]!, parts[1]![0]!);
    const received = decodeScatterPass(encodeScatterPass(sent));
    expect(received.sums.rows).toBe(450);
    expect(received.sums.squares).toBe(sent.sums.squares);
    expect(Array.from(received.shift)).toEqual(Array.from(sent.shift));
    expect(Array.from(received.sums.sum)).toEqual(Array.from(sent.sums.sum));
    expect(Array.from(received.sums.matrix)).toEqual(Array.from(sent.sums.matrix));
  });
});
