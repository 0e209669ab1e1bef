import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { DataFormatError, parseContentType } from '../data/index.js';
import { type AcceptType, InvocationError, chooseAccept } from './invocation.js';
import { type LogLine, createLogger } from './log.js';

/** SageMaker's real-time payload limit; larger bodies are refused rather than buffered. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** One `POST /invocations` request, its body read and its response type chosen. */
export interface Invocation {
  readonly body: Buffer;
  /** The request's whole Content-Type header, parameters included. */
  readonly contentType: string;
  readonly accept: AcceptType;
  /** The request's whole Accept header, for parameters such as k-NN's `verbose=true`. */
  readonly acceptHeader?: string;
}

/**
 * What a model server does with requests: the media types it reads and writes (the first
 * `acceptTypes` entry is the default response type) and how it answers one invocation.
 * `invoke` throws {@link InvocationError} or `DataFormatError` for requests the client must fix.
 */
export interface InvocationHandler {
  readonly contentTypes: readonly string[];
  readonly acceptTypes: readonly AcceptType[];
  invoke(invocation: Invocation): Promise<Buffer>;
}

/**
 * A model server on SageMaker's inference contract: `GET /ping` answers 200 (the handler exists
 * once the model is loaded), and `POST /invocations` checks the types, reads the body and hands
 * it to the handler. Client mistakes get their status and a plain-text message.
 */
export function createInvocationServer(handler: InvocationHandler, write: LogLine): Server {
  const log = createLogger(write);
  return createServer((req, res) => {
    handle(req, res, handler).catch((error: unknown) => {
      log(`Internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'Internal error while running inference.');
      else res.destroy();
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  handler: InvocationHandler,
): Promise<void> {
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
    const accept = chooseAccept(req.headers.accept, handler.acceptTypes);
    const contentType = req.headers['content-type'] ?? '';
    const mediaType = parseContentType(contentType).mediaType;
    if (!handler.contentTypes.includes(mediaType))
      throw new InvocationError(
        415,
        `Content-Type '${contentType}' is not supported; use one of: ${handler.contentTypes.join(', ')}.`,
      );
    const body = await readBody(req);
    const output = await handler.invoke({
      body,
      contentType,
      accept,
      acceptHeader: req.headers.accept,
    });
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
