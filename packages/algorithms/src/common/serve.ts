import type { Server } from 'node:http';
import { join } from 'node:path';
import { INFERENCE_CONTENT_TYPES, parseInferenceRows } from '../data/index.js';
import {
  type InvocationHandler,
  MAX_BODY_BYTES,
  createInvocationServer,
} from './invocation-server.js';
import { ACCEPT_TYPES, type AcceptType, InvocationError } from './invocation.js';
import { type LogLine, createLogger } from './log.js';

export { MAX_BODY_BYTES };

/** Runs a model on request rows and serializes the answer in the chosen response type. */
export type Predict = (rows: readonly Float32Array[], accept: AcceptType) => Buffer;

/** A model ready to serve, and how to name it in the startup log line. */
export interface LoadedModel {
  predict: Predict;
  /** e.g. `k-means model (k=3, feature_dim=2)`. */
  description: string;
}

/** A loaded model's request handler, and how to name the model in the startup log line. */
export interface LoadedHandler {
  handler: InvocationHandler;
  /** e.g. `ONNX model model.onnx (inputs: x float32 [n,2])`. */
  description: string;
}

/**
 * A model server on SageMaker's inference contract for a model that scores feature rows: the
 * body is parsed into rows by Content-Type (every built-in inference type), then predicted.
 */
export function createModelServer(predict: Predict, write: LogLine): Server {
  return createInvocationServer(rowsHandler(predict), write);
}

function rowsHandler(predict: Predict): InvocationHandler {
  return {
    contentTypes: INFERENCE_CONTENT_TYPES,
    acceptTypes: ACCEPT_TYPES,
    invoke: async ({ body, contentType, accept }) => {
      const rows = await parseInferenceRows(body, contentType);
      if (rows.length === 0) throw new InvocationError(400, 'The request body holds no records.');
      return predict(rows, accept);
    },
  };
}

/**
 * The serving program: loads the model from `SM_MODEL_DIR` or `<PLINTH_ML_ROOT>/model` and
 * listens on `SAGEMAKER_BIND_TO_PORT` (default 8080). Resolves once listening.
 */
export function runServeProgram(
  env: NodeJS.ProcessEnv,
  write: LogLine,
  load: (modelDir: string) => Promise<LoadedModel>,
): Promise<Server> {
  return runHandlerProgram(env, write, async (modelDir) => {
    const model = await load(modelDir);
    return { handler: rowsHandler(model.predict), description: model.description };
  });
}

/**
 * {@link runServeProgram} for a server that reads request bodies itself: `load` gives the
 * handler for the model in the model directory.
 */
export async function runHandlerProgram(
  env: NodeJS.ProcessEnv,
  write: LogLine,
  load: (modelDir: string) => Promise<LoadedHandler>,
): Promise<Server> {
  const log = createLogger(write);
  const modelDir = env.SM_MODEL_DIR ?? join(env.PLINTH_ML_ROOT ?? '/opt/ml', 'model');
  const model = await load(modelDir);
  const port = Number(env.SAGEMAKER_BIND_TO_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(
      `SAGEMAKER_BIND_TO_PORT must be a port number, got '${env.SAGEMAKER_BIND_TO_PORT}'`,
    );
  const server = createInvocationServer(model.handler, write);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  log(`Loaded ${model.description}; listening on port ${bound}`);
  return server;
}

/**
 * The body of a serve program's entry file: starts the server, stops it on SIGTERM (how the
 * platform stops instances) after in-flight requests finish, and exits 1 if it cannot start.
 */
export async function serveMain(
  algorithm: string,
  start: (env: NodeJS.ProcessEnv, write: LogLine) => Promise<Server>,
): Promise<void> {
  const write = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const server = await start(process.env, write);
    process.once('SIGTERM', () => server.close(() => process.exit(0)));
  } catch (error) {
    process.stderr.write(
      `${algorithm} serve failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
