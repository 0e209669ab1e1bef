import { describe, expect, it } from 'vitest';
import { buildDeployRequests, type DeploySettings } from './deploy-requests.js';

const SETTINGS: DeploySettings = {
  name: 'km',
  image: 'plinth/kmeans:1',
  modelDataUrl: 's3://plinth-default/km-job/output/model.tar.gz',
  environment: {},
  role: 'arn:aws:iam::000000000000:role/plinth',
  variant: 'AllTraffic',
  instanceType: 'ml.m5.large',
  instanceCount: 2,
};

describe('the requests of a deployment', () => {
  it('names model, configuration and endpoint alike, with one variant taking all the traffic', () => {
    expect(buildDeployRequests(SETTINGS)).toEqual({
      model: {
        ModelName: 'km',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/plinth',
        PrimaryContainer: {
          Image: 'plinth/kmeans:1',
          ModelDataUrl: 's3://plinth-default/km-job/output/model.tar.gz',
        },
      },
      endpointConfig: {
        EndpointConfigName: 'km',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'km',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 2,
            InitialVariantWeight: 1,
          },
        ],
      },
      endpoint: { EndpointName: 'km', EndpointConfigName: 'km' },
    });
  });

  it('gives the container the environment when there is one', () => {
    const { model } = buildDeployRequests({ ...SETTINGS, environment: { OMP_NUM_THREADS: '2' } });
    expect(model.PrimaryContainer?.Environment).toEqual({ OMP_NUM_THREADS: '2' });
  });
});
