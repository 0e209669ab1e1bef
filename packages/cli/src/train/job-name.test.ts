import { describe, expect, it } from 'vitest';
import { baseNameFromImage, generateJobName, isValidJobName } from './job-name.js';

const NOW = new Date('2024-05-01T12:34:56.789Z');

describe('job names', () => {
  it('names a job <base>-<UTC timestamp to the millisecond>, as the SageMaker SDK does', () => {
    expect(generateJobName('kmeans', NOW)).toBe('kmeans-2024-05-01-12-34-56-789');
    expect(generateJobName('linear-learner', new Date('2024-12-31T23:59:59.007Z'))).toBe(
      'linear-learner-2024-12-31-23-59-59-007',
    );
  });

  it('cuts a long base so the name fits 63 characters, and keeps it a valid name', () => {
    const name = generateJobName(`${'a'.repeat(38)}-bbbbbbbb`, NOW);
    expect(name).toHaveLength(62); // the base's trailing dash is dropped, not doubled
    expect(name).toBe(`${'a'.repeat(38)}-2024-05-01-12-34-56-789`);
    expect(generateJobName('x'.repeat(100), NOW)).toHaveLength(63);
    expect(generateJobName('my_algo.v2', NOW)).toBe('my-algo-v2-2024-05-01-12-34-56-789');
    for (const base of ['kmeans', 'my_algo.v2', '-x-', '___', 'x'.repeat(100)])
      expect(isValidJobName(generateJobName(base, NOW)), base).toBe(true);
  });

  it('takes the base from an image URI as the SDK does', () => {
    expect(
      baseNameFromImage(
        '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
      ),
    ).toBe('sagemaker-scikit-learn');
    expect(baseNameFromImage('plinth/node:20')).toBe('node');
    expect(baseNameFromImage('localhost:5000/team/trainer')).toBe('trainer');
    expect(baseNameFromImage('kmeans')).toBe('kmeans');
    expect(baseNameFromImage('repo/img@sha256:abc')).toBe('img');
  });

  it("checks names against SageMaker's pattern", () => {
    expect(isValidJobName('my-job-1')).toBe(true);
    for (const bad of ['', '-x', 'x-', 'my_job', 'a'.repeat(64)])
      expect(isValidJobName(bad), bad).toBe(false);
  });
});
