import { describe, expect, it } from 'vitest';
import { resolveServingPlan } from './serving-plan.js';

const DATA = 's3://models/m/model.tar.gz';
const SKLEARN = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

describe('resolveServingPlan', () => {
  it('serves built-in algorithm and ONNX images with their installed servers', () => {
    expect(resolveServingPlan({ Image: 'plinth/kmeans', ModelDataUrl: DATA })).toEqual({
      kind: 'installed',
      program: 'kmeans',
      modelDataUrl: DATA,
    });
    for (const image of ['plinth/onnx', 'onnx', 'plinth/onnx:1', 'registry.local:5000/onnx:2']) {
      expect(resolveServingPlan({ Image: image, ModelDataUrl: DATA }), image).toMatchObject({
        kind: 'installed',
        program: 'onnx',
      });
    }
  });

  it("serves SageMaker's XGBoost image as the built-in unless the model names a script", () => {
    const image = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
    expect(resolveServingPlan({ Image: image, ModelDataUrl: DATA })).toEqual({
      kind: 'installed',
      program: 'xgboost',
      modelDataUrl: DATA,
    });
    expect(
      resolveServingPlan({
        Image: image,
        ModelDataUrl: DATA,
        Environment: { SAGEMAKER_PROGRAM: 'inference.py' },
      }),
    ).toMatchObject({ kind: 'script', runtime: 'python', program: 'inference.py' });
  });

  it("runs the user's server from framework images, code from S3 or from the model", () => {
    expect(
      resolveServingPlan({
        Image: SKLEARN,
        Environment: {
          SAGEMAKER_PROGRAM: 'serve.py',
          SAGEMAKER_SUBMIT_DIRECTORY: 's3://c/s.tar.gz',
        },
      }),
    ).toEqual({
      kind: 'script',
      runtime: 'python',
      program: 'serve.py',
      submitDirectory: 's3://c/s.tar.gz',
      modelDataUrl: undefined,
    });
    // Without SAGEMAKER_SUBMIT_DIRECTORY the code is looked for where the toolkits look.
    expect(
      resolveServingPlan({
        Image: 'plinth/node:20',
        ModelDataUrl: DATA,
        Environment: { SAGEMAKER_PROGRAM: 'serve.mjs' },
      }),
    ).toMatchObject({ kind: 'script', runtime: 'node', submitDirectory: '/opt/ml/model/code' });
    expect(
      resolveServingPlan({
        Image: '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.1-cpu-py310',
        ModelDataUrl: DATA,
        Environment: { SAGEMAKER_PROGRAM: 'inference.py' },
      }),
    ).toMatchObject({ kind: 'script', runtime: 'python' });
  });

  it('says what to do when it cannot serve the container', () => {
    expect(resolveServingPlan({ Image: 'registry.example.com/my-server:1' })).toContain(
      "Plinth cannot serve the image 'registry.example.com/my-server:1'. It serves",
    );
    expect(resolveServingPlan({ Image: 'plinth/onnx' })).toContain(
      'it has no ModelDataUrl, and the onnx server needs its model.tar.gz',
    );
    expect(resolveServingPlan({ Image: SKLEARN, ModelDataUrl: DATA })).toContain(
      'has no SAGEMAKER_PROGRAM: set SAGEMAKER_PROGRAM',
    );
    expect(
      resolveServingPlan({
        Image: SKLEARN,
        Environment: { SAGEMAKER_PROGRAM: 'a.py', SAGEMAKER_SUBMIT_DIRECTORY: '/home/me/code' },
      }),
    ).toContain("SAGEMAKER_SUBMIT_DIRECTORY '/home/me/code' must be the s3:// URI");
    expect(
      resolveServingPlan({ Image: SKLEARN, Environment: { SAGEMAKER_PROGRAM: 'a.py' } }),
    ).toContain('is inside the model, but the model has no ModelDataUrl');
  });
});
