import { describe, expect, it } from 'vitest';
import { imageRepository, resolveLaunchPlan } from './launch-plan.js';

const SCRIPT = {
  sagemaker_program: '"train.py"',
  sagemaker_submit_directory: '"s3://b/sourcedir.tar.gz"',
};

describe('resolveLaunchPlan', () => {
  it('maps SageMaker built-in image URIs in any region, and short names, to built-ins', () => {
    for (const image of [
      '382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1',
      '664544806723.dkr.ecr.eu-central-1.amazonaws.com/kmeans:latest',
      'kmeans',
      'plinth/kmeans:1',
    ]) {
      expect(resolveLaunchPlan(image, {}), image).toEqual({ kind: 'builtin', algorithm: 'kmeans' });
    }
  });

  it('knows each built-in by its SageMaker repository name', () => {
    for (const [repository, algorithm] of [
      ['pca', 'pca'],
      ['knn', 'knn'],
      ['randomcutforest', 'randomcutforest'],
      ['factorization-machines', 'factorization-machines'],
      ['xgboost', 'xgboost'],
      ['sagemaker-xgboost', 'xgboost'],
    ]) {
      const image = `382416733822.dkr.ecr.us-east-1.amazonaws.com/${repository}:1`;
      expect(resolveLaunchPlan(image, {}), image).toEqual({ kind: 'builtin', algorithm });
    }
  });

  it("runs a script on SageMaker's XGBoost image when the job names one (framework mode)", () => {
    expect(
      resolveLaunchPlan(
        '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        SCRIPT,
      ),
    ).toEqual({ kind: 'script', runtime: 'python' });
  });

  it('runs framework images in script mode with the runtime they imply', () => {
    expect(
      resolveLaunchPlan(
        '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
        SCRIPT,
      ),
    ).toEqual({ kind: 'script', runtime: 'python' });
    expect(
      resolveLaunchPlan(
        '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1-cpu-py310',
        SCRIPT,
      ),
    ).toEqual({ kind: 'script', runtime: 'python' });
    expect(resolveLaunchPlan('plinth/node:20', SCRIPT)).toEqual({
      kind: 'script',
      runtime: 'node',
    });
  });

  it('explains what it cannot run', () => {
    expect(
      resolveLaunchPlan('123456789012.dkr.ecr.us-east-1.amazonaws.com/my-custom-algo:3', {}),
    ).toContain(
      "cannot run the image '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-custom-algo:3'",
    );
    expect(resolveLaunchPlan('plinth/node:20', {})).toContain(
      'needs the hyperparameters sagemaker_program',
    );
  });

  it('finds the repository inside an image URI', () => {
    expect(imageRepository('localhost:5000/team/pytorch-training:2')).toBe('team/pytorch-training');
    expect(imageRepository('kmeans@sha256:abc')).toBe('kmeans');
  });
});
