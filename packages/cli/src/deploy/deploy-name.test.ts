import { describe, expect, it } from 'vitest';
import { isValidJobName } from '../train/job-name.js';
import { generateDeployName } from './deploy-name.js';

const NOW = new Date('2024-06-02T08:09:10.011Z');

describe('deployment names', () => {
  it("takes the training job's name without the timestamp plinth train gave it", () => {
    expect(
      generateDeployName(
        { trainingJob: 'kmeans-2024-05-01-12-34-56-789', image: 'plinth/kmeans:1' },
        NOW,
      ),
    ).toBe('kmeans-2024-06-02-08-09-10-011');
    expect(generateDeployName({ trainingJob: 'churn-model', image: 'plinth/kmeans:1' }, NOW)).toBe(
      'churn-model-2024-06-02-08-09-10-011',
    );
  });

  it("takes the image's name when there is no training job", () => {
    expect(generateDeployName({ image: 'linear-learner' }, NOW)).toBe(
      'linear-learner-2024-06-02-08-09-10-011',
    );
    expect(generateDeployName({ image: 'plinth/onnx:1' }, NOW)).toBe(
      'onnx-2024-06-02-08-09-10-011',
    );
  });

  it('always gives a name SageMaker accepts, however long or odd the source', () => {
    const sources = [
      { trainingJob: 'x'.repeat(63), image: 'kmeans' },
      { trainingJob: '2024-05-01-12-34-56-789', image: 'kmeans' },
      { image: 'registry.example.com:5000/team/my_server.v2:latest' },
      { image: '___' },
    ];
    for (const source of sources) {
      const name = generateDeployName(source, NOW);
      expect(isValidJobName(name), name).toBe(true);
      expect(name.endsWith('-2024-06-02-08-09-10-011'), name).toBe(true);
    }
  });
});
