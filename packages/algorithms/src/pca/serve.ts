import type { Server } from 'node:http';
import type { InvocationHandler } from '../common/invocation-server.js';
import { InvocationError } from '../common/invocation.js';
import type { LogLine } from '../common/log.js';
import { runHandlerProgram } from '../common/serve.js';
import { INFERENCE_CONTENT_TYPES, parseInferenceRows } from '../data/index.js';
import { type PcaModel, loadModel } from './model.js';
import { PCA_ACCEPT_TYPES, type PcaAcceptType, formatProjections, project } from './predict.js';

/**
 * What the PCA server does with a request: reads the records from any built-in inference type
 * and answers their projections in JSON, JSON Lines or RecordIO-protobuf (SageMaker's PCA
 * writes no CSV, so `Accept: text/csv` gets 406).
 */
export function pcaHandler(model: PcaModel): InvocationHandler {
  return {
    contentTypes: INFERENCE_CONTENT_TYPES,
    acceptTypes: PCA_ACCEPT_TYPES,
    invoke: async ({ body, contentType, accept }) => {
      const rows = await parseInferenceRows(body, contentType);
      if (rows.length === 0) throw new InvocationError(400, 'The request body holds no records.');
      const projections = project(model, rows);
      return formatProjections(projections, {
        rows: rows.length,
        count: model.count,
        accept: accept as PcaAcceptType,
      });
    },
  };
}

/**
 * The PCA serving program: loads `model.json` from `SM_MODEL_DIR` or `<PLINTH_ML_ROOT>/model`
 * and listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runHandlerProgram(env, write, async (modelDir) => {
    const model = await loadModel(modelDir);
    return {
      handler: pcaHandler(model),
      description: `PCA model (num_components=${model.count}, feature_dim=${model.dim}, subtract_mean=${model.subtractMean})`,
    };
  });
}
