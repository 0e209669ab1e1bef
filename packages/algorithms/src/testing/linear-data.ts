// Generated labelled data for the linear-learner tests, label first (as CSV rows).
import { createRandom } from '../common/random.js';
import { encodeDenseRecords } from '../data/index.js';

const random = createRandom(11);
const uniform = (low: number, high: number): number => low + (high - low) * random();
const gaussian = (): number =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Linearly separable: label 1 when 2a - b + 1 > 0, with a margin kept clear. */
export function separable(count: number): number[][] {
  const rows: number[][] = [];
  while (rows.length < count) {
    const a = uniform(-5, 5);
    const b = uniform(-5, 5) + 20;
    const side = 2 * a - (b - 20) + 1;
    if (Math.abs(side) > 0.5) rows.push([side > 0 ? 1 : 0, a, b]);
  }
  return rows;
}

/** Three Gaussian blobs, label first. */
export function blobs(count: number): number[][] {
  const centers = [
    [0, 0, 0],
    [8, 0, 4],
    [0, 8, -4],
  ];
  return Array.from({ length: count }, (_, i) => {
    const c = i % 3;
    return [c, ...centers[c]!.map((v) => v + gaussian())];
  });
}

/** y = 2a - 3b + 0.5, label first. */
export function linear(count: number, noise: number): number[][] {
  return Array.from({ length: count }, () => {
    const a = uniform(-2, 2);
    const b = uniform(0, 10);
    return [2 * a - 3 * b + 0.5 + noise * gaussian(), a, b];
  });
}

/** Rows (label first) as RecordIO-protobuf records with labels. */
export const recordIO = (rows: number[][]): Buffer =>
  encodeDenseRecords(
    rows.map((r) => r.slice(1)),
    rows.map((r) => r[0]!),
  );
