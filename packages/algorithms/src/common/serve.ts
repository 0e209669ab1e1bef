import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import {
  DataFormatError,
  INFERENCE_CONTENT_TYPES,
  parseContentType,
  parseInferenceRows,
} from '../data/index.js';
import { type AcceptType, InvocationError, chooseAccept } from './invocation.js';
import { type LogLine, createLogger } from './log.js';

/** SageMaker's real-time payload limit; larger bodies are refused rather than buffered. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** Runs a model on request rows and serializes the answer in the chosen response type. */
export type Predict = (rows: readonly Float32Array[], accept: AcceptType) => Buffer;

/** A model ready to serve, and how to name it in the startup log line. */
export interface LoadedModel {
  predict: Predict;
  /** e.g. `k-means model (k=3, feature_dim=2)`. */
  description: string;
}

/**
 * A model server on SageMaker's inference contract: `GET /ping` answers 200 once the model is
 * loaded, and `POST /invocations` parses the body by Content-Type and answers in the Accept type.
 */
export function createModelServer(predict: Predict, write: LogLine): Server {
  const log = createLogger(write);
  return createServer((req, res) => {
    handle(req, res, predict).catch((error: unknown) => {
      log(`Internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'Internal error while running inference.');
      else res.destroy();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, predict: Predict): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200).end();
    return;
  }
  if (path !== '/invocations' || req.method !== 'POST') {
    reply(res, 404, `No route for ${req.method} ${path}; use GET /ping or POST /invocations.`);
    return;
  }
  try {
    const accept = chooseAccept(req.headers.accept);
    const contentType = req.headers['content-type'] ?? '';
    const mediaType = parseContentType(contentType).mediaType;
    if (!INFERENCE_CONTENT_TYPES.some((t) => t === mediaType))
      throw new InvocationError(
        415,
        `Content-Type '${contentType}' is not supported; use one of: ${INFERENCE_CONTENT_TYPES.join(', ')}.`,
      );
    const body = await readBody(req);
    const rows = await parseInferenceRows(body, contentType);
    if (rows.length === 0) throw new InvocationError(400, 'The request body holds no records.');
    const output = predict(rows, accept);
    res.writeHead(200, { 'Content-Type': accept, 'Content-Length': output.length }).end(output);
  } catch (error) {
    if (error instanceof InvocationError) reply(res, error.status, error.message);
    else if (error instanceof DataFormatError) reply(res, 400, error.message);
    else throw error;
  }
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new InvocationError(413, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The serving program: loads the model from `SM_MODEL_DIR` or `<PLINTH_ML_ROOT>/model` and
 * listens on `SAGEMAKER_BIND_TO_PORT` (default 8080). Resolves once listening.
 */
export async function runServeProgram(
  env: NodeJS.ProcessEnv,
  write: LogLine,
  load: (modelDir: string) => Promise<LoadedModel>,
): Promise<Server> {
  const log = createLogger(write);
  const modelDir = env.SM_MODEL_DIR ?? join(env.PLINTH_ML_ROOT ?? '/opt/ml', 'model');
  const model = await load(modelDir);
  const port = Number(env.SAGEMAKER_BIND_TO_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(
      `SAGEMAKER_BIND_TO_PORT must be a port number, got '${env.SAGEMAKER_BIND_TO_PORT}'`,
    );
  const server = createModelServer(model.predict, write);
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
