import type { Server } from 'node:http';
import type { LogLine } from '../common/log.js';
import {
  type LoadedModel,
  createModelServer,
  runServeProgram as runServer,
} from '../common/serve.js';
import type { Centers } from './kernels.js';
import { loadModel } from './model.js';
import { formatPredictions, predictClusters } from './predict.js';

/**
 * The k-means model server: `GET /ping` answers 200 once the model is loaded, and
 * `POST /invocations` assigns each record to its nearest center.
 */
export function createKMeansServer(centers: Centers, write: LogLine): Server {
  return createModelServer(predictor(centers).predict, write);
}

function predictor(centers: Centers): LoadedModel {
  return {
    predict: (rows, accept) => formatPredictions(predictClusters(rows, centers), accept),
    description: `k-means model (k=${centers.count}, feature_dim=${centers.dim})`,
  };
}

/**
 * The k-means serving program: loads `model.json` from `SM_MODEL_DIR` or
 * `<PLINTH_ML_ROOT>/model` and listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runServer(env, write, async (modelDir) => predictor(await loadModel(modelDir)));
}
