import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import {
  DataFormatError,
  INFERENCE_CONTENT_TYPES,
  parseContentType,
  parseInferenceRows,
} from '../data/index.js';
import type { Centers } from './kernels.js';
import { createLogger, type LogLine } from './log.js';
import { loadModel } from './model.js';
import { InvocationError, chooseAccept, formatPredictions, predictClusters } from './predict.js';

/** SageMaker's real-time payload limit; larger bodies are refused rather than buffered. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * The k-means model server: `GET /ping` answers 200 once the model is loaded, and
 * `POST /invocations` assigns each record to its nearest center.
 */
export function createKMeansServer(centers: Centers, write: LogLine): Server {
  const log = createLogger(write);
  return createServer((req, res) => {
    handle(req, res, centers).catch((error: unknown) => {
      log(`Internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'Internal error while running inference.');
      else res.destroy();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, centers: Centers): Promise<void> {
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
    const output = formatPredictions(predictClusters(rows, centers), accept);
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
 * The serving program: loads `model.json` from `SM_MODEL_DIR` or `<PLINTH_ML_ROOT>/model` and
 * listens on `SAGEMAKER_BIND_TO_PORT` (default 8080). Resolves once listening.
 */
export async function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  const log = createLogger(write);
  const modelDir = env.SM_MODEL_DIR ?? join(env.PLINTH_ML_ROOT ?? '/opt/ml', 'model');
  const centers = await loadModel(modelDir);
  const port = Number(env.SAGEMAKER_BIND_TO_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(
      `SAGEMAKER_BIND_TO_PORT must be a port number, got '${env.SAGEMAKER_BIND_TO_PORT}'`,
    );
  const server = createKMeansServer(centers, write);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  log(
    `Loaded k-means model (k=${centers.count}, feature_dim=${centers.dim}); listening on port ${bound}`,
  );
  return server;
}
