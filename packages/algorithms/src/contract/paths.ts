import { join } from 'node:path';

/**
 * The file layout of SageMaker's container contract under a job's root (`/opt/ml` in a real
 * container, a work directory per job in Plinth). Algorithms read their inputs and write their
 * outputs here; the platform fills and collects it.
 */
export interface ContractPaths {
  readonly root: string;
  readonly hyperparameters: string;
  readonly inputDataConfig: string;
  readonly resourceConfig: string;
  /** `input/data/<channel>/` */
  channel(name: string): string;
  readonly model: string;
  readonly output: string;
  readonly outputData: string;
  /** Text an algorithm writes when it fails; becomes the job's FailureReason. */
  readonly failure: string;
  readonly checkpoints: string;
  /**
   * A folder every host of the job sees (Plinth's `PLINTH_SHARED_DIR`), where hosts combine
   * their work; undefined where there is none.
   */
  readonly shared?: string;
}

const CHANNEL_NAME = /^[A-Za-z0-9.\-_]+$/;

export function contractPaths(root: string, shared?: string): ContractPaths {
  return {
    ...(shared ? { shared } : {}),
    root,
    hyperparameters: join(root, 'input/config/hyperparameters.json'),
    inputDataConfig: join(root, 'input/config/inputdataconfig.json'),
    resourceConfig: join(root, 'input/config/resourceconfig.json'),
    channel: (name) => {
      // SageMaker's ChannelName pattern; it also keeps a channel inside input/data.
      if (!CHANNEL_NAME.test(name) || name === '.' || name === '..')
        throw new Error(`Invalid channel name '${name}'`);
      return join(root, 'input/data', name);
    },
    model: join(root, 'model'),
    output: join(root, 'output'),
    outputData: join(root, 'output/data'),
    failure: join(root, 'output/failure'),
    checkpoints: join(root, 'checkpoints'),
  };
}
