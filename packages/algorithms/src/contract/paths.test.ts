import { describe, expect, it } from 'vitest';
import { contractPaths } from './paths.js';

describe('contractPaths', () => {
  it('lays files out as SageMaker containers expect under /opt/ml', () => {
    const paths = contractPaths('/opt/ml');
    expect(paths.hyperparameters).toBe('/opt/ml/input/config/hyperparameters.json');
    expect(paths.channel('train')).toBe('/opt/ml/input/data/train');
    expect(paths.failure).toBe('/opt/ml/output/failure');
    expect(paths.model).toBe('/opt/ml/model');
  });

  it('keeps channels inside input/data', () => {
    const paths = contractPaths('/job');
    for (const bad of ['..', '.', '../x', 'a/b', ''])
      expect(() => paths.channel(bad), bad).toThrow('Invalid channel name');
  });
});
