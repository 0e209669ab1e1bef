import type { Server } from 'node:http';
import type { LogLine } from '../common/log.js';
import {
  type LoadedModel,
  createModelServer,
  runServeProgram as runServer,
} from '../common/serve.js';
import { type LinearLearnerModel, loadModel } from './model.js';
import { formatPredictions, predict } from './predict.js';

/**
 * The linear-learner model server: `GET /ping` answers 200 once the model is loaded, and
 * `POST /invocations` scores each record in SageMaker linear-learner's response shape.
 */
export function createLinearLearnerServer(model: LinearLearnerModel, write: LogLine): Server {
  return createModelServer(predictor(model).predict, write);
}

function predictor(model: LinearLearnerModel): LoadedModel {
  return {
    predict: (rows, accept) => formatPredictions(predict(model, rows), accept),
    description: `linear-learner model (${model.predictorType}, feature_dim=${model.fn.dim})`,
  };
}

/**
 * The linear-learner serving program: loads `model.json` from `SM_MODEL_DIR` or
 * `<PLINTH_ML_ROOT>/model` and listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runServer(env, write, async (modelDir) => predictor(await loadModel(modelDir)));
}
