import type { Server } from 'node:http';
import { InvocationError } from '../common/invocation.js';
import { type InvocationHandler, createInvocationServer } from '../common/invocation-server.js';
import type { LogLine } from '../common/log.js';
import { runHandlerProgram } from '../common/serve.js';
import { SPARSE_REQUEST_TYPES, parseSparseRequest } from '../data/sparse-inference.js';
import { type FmModel, loadModel } from './model.js';
import { FM_ACCEPT_TYPES, formatPredictions, predictFm } from './predict.js';

/**
 * The request handler of a factorization machine: JSON, JSON Lines or RecordIO-protobuf bodies
 * of dense or sparse instances (never expanded), answered in SageMaker FM's response shape.
 */
export function fmHandler(model: FmModel): InvocationHandler {
  const { featureDim } = model.weights;
  return {
    contentTypes: SPARSE_REQUEST_TYPES,
    acceptTypes: FM_ACCEPT_TYPES,
    invoke: async ({ body, contentType, accept }) => {
      const batch = await parseSparseRequest(body, { contentType, featureDim });
      if (batch.rows === 0) throw new InvocationError(400, 'The request body holds no records.');
      return formatPredictions(predictFm(model, batch), accept);
    },
  };
}

/** A factorization-machines model server for a loaded model (`GET /ping`, `POST /invocations`). */
export function createFmServer(model: FmModel, write: LogLine): Server {
  return createInvocationServer(fmHandler(model), write);
}

/**
 * The factorization-machines serving program: loads the model from `SM_MODEL_DIR` or
 * `<PLINTH_ML_ROOT>/model` and listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runHandlerProgram(env, write, async (modelDir) => {
    const model = await loadModel(modelDir);
    const { featureDim, numFactors } = model.weights;
    return {
      handler: fmHandler(model),
      description: `factorization-machines model (${model.predictorType}, feature_dim=${featureDim}, num_factors=${numFactors})`,
    };
  });
}
