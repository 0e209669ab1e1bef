import type { Server } from 'node:http';
import type { InvocationHandler } from '../common/invocation-server.js';
import { InvocationError } from '../common/invocation.js';
import type { LogLine } from '../common/log.js';
import { runHandlerProgram } from '../common/serve.js';
import { loadModelFile } from './model-file.js';
import type { XGBoostModel } from './model-reader.js';
import { predict } from './predictor.js';
import { XGBOOST_REQUEST_TYPES, parseRequestRows } from './request-rows.js';
import { encodePredictions } from './responses.js';
import {
  checkSelectableObjective,
  encodeSelected,
  selectPredictions,
} from './selectable-output.js';
import { type ServeSettings, readServeSettings } from './serve-settings.js';

/**
 * Answers invocations as SageMaker's XGBoost server: reads CSV, LIBSVM or RecordIO-protobuf
 * rows, predicts with the model, and writes the default or the selectable-output response.
 */
export function createXGBoostHandler(
  model: XGBoostModel,
  settings: ServeSettings,
): InvocationHandler {
  if (settings.selectable) checkSelectableObjective(model.objective);
  return {
    contentTypes: XGBOOST_REQUEST_TYPES,
    acceptTypes: settings.acceptTypes,
    invoke: async ({ body, contentType, accept }) => {
      const matrix = await parseRequestRows(body, contentType, model.numFeature);
      if (matrix.rows === 0) throw new InvocationError(400, 'The request body holds no records.');
      const predictions = predict(model, matrix);
      if (!settings.selectable) return encodePredictions(predictions, accept, settings.batch);
      const selected = selectPredictions(predictions, settings.selectable, model);
      return encodeSelected(selected, settings.selectable, { accept, batch: settings.batch });
    },
  };
}

/** e.g. `xgboost model /opt/ml/model/xgboost-model (binary:logistic, gbtree, 20 trees, num_feature=6)`. */
function describe(path: string, model: XGBoostModel): string {
  const size = model.trees
    ? `${model.trees.count} trees${model.treeLimit < model.trees.count ? `, predicting with the first ${model.treeLimit} (best_ntree_limit)` : ''}`
    : 'linear';
  return `xgboost ${model.version.join('.')} model ${path} (${model.objective}, ${model.booster}, ${size}, num_feature=${model.numFeature})`;
}

/**
 * The XGBoost serving program: loads `xgboost-model` (or the only `*.json`) from
 * `SM_MODEL_DIR` or `<PLINTH_ML_ROOT>/model` and listens on `SAGEMAKER_BIND_TO_PORT`.
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  const settings = readServeSettings(env);
  return runHandlerProgram(env, write, async (modelDir) => {
    const { path, model } = await loadModelFile(modelDir);
    return { handler: createXGBoostHandler(model, settings), description: describe(path, model) };
  });
}
