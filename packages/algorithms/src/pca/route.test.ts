import { describe, expect, it } from 'vitest';
import { HyperparameterError } from '../common/errors.js';
import { parseHyperparameters } from './hyperparameters.js';
import { planRoute } from './route.js';

const hp = (featureDim: number, extra: Record<string, string> = {}) =>
  parseHyperparameters({
    feature_dim: String(featureDim),
    num_components: '10',
    mini_batch_size: '100',
    ...extra,
  });
const randomized = { algorithm_mode: 'randomized' };
const one = { hosts: 1 };

describe('planRoute', () => {
  it('decomposes the exact matrix in regular mode, and when the sketch spans every feature', () => {
    expect(planRoute(hp(50), one).kind).toBe('exact');
    expect(planRoute(hp(20, randomized), one).kind).toBe('exact'); // 10 + max(10, 10) = 20
  });

  it('iterates on the formed matrix while summing it costs less than 4 passes', () => {
    // Sketch width 20: forming costs d/2 per record and entry, passes 4 · 2 · 20 = 160.
    expect(planRoute(hp(320, randomized), one)).toMatchObject({ kind: 'matrix', width: 20 });
    expect(planRoute(hp(321, randomized), one)).toMatchObject({ kind: 'streaming', width: 20 });
  });

  it('forms the matrix on several hosts, so they can combine it in one exchange', () => {
    expect(planRoute(hp(1000, randomized), { hosts: 2 }).kind).toBe('matrix');
  });

  it.each([
    [hp(5000), one, 'feature_dim=5000 is too large for algorithm_mode=regular'],
    [hp(5000, randomized), { hosts: 3 }, 'feature_dim=5000 is too large for PCA on 3 instances'],
  ])('refuses a feature_dim x feature_dim matrix past 4096 (%#)', (params, cluster, message) => {
    const plan = () => planRoute(params, cluster);
    expect(plan).toThrow(HyperparameterError);
    expect(plan).toThrow(message);
  });

  it('never forms the matrix of very wide data on one host', () => {
    expect(planRoute(hp(5000, randomized), one).kind).toBe('streaming');
  });
});
