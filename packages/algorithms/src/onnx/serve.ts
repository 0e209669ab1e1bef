import type { Server } from 'node:http';
import type { InvocationHandler } from '../common/invocation-server.js';
import { InvocationError } from '../common/invocation.js';
import type { LogLine } from '../common/log.js';
import { runHandlerProgram } from '../common/serve.js';
import { ONNX_CONTENT_TYPES, requestFeeds } from './feeds.js';
import { type OnnxModel, describeOnnxModel, loadOnnxModel } from './onnx-model.js';
import { ONNX_ACCEPT_TYPES, formatOutputs } from './response.js';

/**
 * Answers invocations with an ONNX model: the body becomes the model's input tensors, the run's
 * tensor outputs the response. A run onnxruntime refuses after the inputs passed the declared
 * types and shapes (e.g. two inputs whose batch sizes disagree) is answered 400 with its message.
 */
export function onnxHandler(model: OnnxModel): InvocationHandler {
  return {
    contentTypes: ONNX_CONTENT_TYPES,
    acceptTypes: ONNX_ACCEPT_TYPES,
    invoke: async (invocation) => {
      const feeds = await requestFeeds(invocation, model.inputs);
      let results;
      try {
        results = await model.session.run(feeds, [...model.outputs]);
      } catch (error) {
        throw new InvocationError(
          400,
          `The model could not run on this input: ${(error as Error).message.trim()}`,
        );
      }
      return formatOutputs(results, { order: model.outputs, accept: invocation.accept });
    },
  };
}

/**
 * The ONNX serving program: loads `model.onnx` (or the only `*.onnx` file) from `SM_MODEL_DIR`
 * or `<PLINTH_ML_ROOT>/model` and listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runHandlerProgram(env, write, async (modelDir) => {
    const model = await loadOnnxModel(modelDir);
    return { handler: onnxHandler(model), description: describeOnnxModel(model) };
  });
}
