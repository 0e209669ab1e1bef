import type { Server } from 'node:http';
import { ACCEPT_TYPES, InvocationError, packRows } from '../common/invocation.js';
import type { InvocationHandler } from '../common/invocation-server.js';
import { createInvocationServer } from '../common/invocation-server.js';
import type { LogLine } from '../common/log.js';
import { runHandlerProgram } from '../common/serve.js';
import { INFERENCE_CONTENT_TYPES, parseInferenceRows } from '../data/index.js';
import { loadModel } from './model-file.js';
import { defaultSearchThreads } from './parallel-search.js';
import { KnnPredictor } from './predict.js';
import { formatPredictions, wantsVerbose } from './response.js';

/**
 * The request handler of a k-NN model: rows from any built-in inference content type, predictions
 * in SageMaker k-NN's shapes, verbose when the Accept header says `verbose=true`.
 */
export function knnHandler(predictor: KnnPredictor): InvocationHandler {
  const { featureDim } = predictor.model;
  return {
    contentTypes: INFERENCE_CONTENT_TYPES,
    acceptTypes: ACCEPT_TYPES,
    invoke: async ({ body, contentType, accept, acceptHeader }) => {
      const verbose = wantsVerbose(acceptHeader, accept);
      const rows = await parseInferenceRows(body, contentType);
      if (rows.length === 0) throw new InvocationError(400, 'The request body holds no records.');
      const predictions = await predictor.predict(packRows(rows, featureDim), rows.length);
      return formatPredictions(predictions, { accept, verbose });
    },
  };
}

/** A k-NN model server for a loaded predictor (tests run it in-process). */
export function createKnnServer(predictor: KnnPredictor, write: LogLine): Server {
  return createInvocationServer(knnHandler(predictor), write);
}

/**
 * The k-NN serving program: loads the model from `SM_MODEL_DIR` or `<PLINTH_ML_ROOT>/model` and
 * listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runHandlerProgram(env, write, async (modelDir) => {
    const model = await loadModel(modelDir);
    const predictor = new KnnPredictor(model, defaultSearchThreads());
    const { index } = model;
    return {
      handler: knnHandler(predictor),
      description: `k-NN model (${model.predictorType}, k=${model.k}, ${index.type}, ${model.metric}, ${model.labels.length} vectors of feature_dim=${model.featureDim})`,
    };
  });
}
