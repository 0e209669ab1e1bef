import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type { Authenticator } from '../auth/authenticator.js';
import { selectOperation } from './dispatch.js';
import { single } from './object-headers.js';
import { parseTarget, type S3Context, type S3Target } from './s3-context.js';
import { S3Error, toS3Error } from './s3-errors.js';
import { xmlDocument, type XmlElement } from './xml.js';

/** What the S3 API needs from the server that mounts it. */
export interface S3PluginOptions {
  readonly objectStore: ObjectStore;
  readonly authenticator: Authenticator;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Region reported by GetBucketLocation and HeadBucket; defaults to us-east-1. */
  readonly region?: string;
}

/** Bodies left unread when an error is answered are drained up to this size, else the connection is closed. */
const MAX_DRAIN_BYTES = 1024 * 1024;

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'];

/**
 * Amazon S3's REST API (path-style) over an `ObjectStore`, as an encapsulated Fastify plugin.
 * The server rewrites S3 requests under this plugin's prefix; signatures are checked against
 * `request.originalUrl`, the URL the client signed. Bodies are never parsed by Fastify: each
 * operation streams them (PUT) or reads the small XML documents it expects.
 */
export const s3Plugin: FastifyPluginAsync<S3PluginOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  // Leave every body unread on the socket, whatever its type, for the operation to stream.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const prefix = app.prefix;
  const region = options.region ?? 'us-east-1';

  // Returns the reply: Fastify must wait for what the operation sent (a stream, possibly).
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const requestId = options.ids.uuid();
    reply
      .header('x-amz-request-id', requestId)
      .header('x-amz-id-2', Buffer.from(requestId).toString('base64'));
    let target: S3Target | undefined;
    try {
      options.authenticator.authenticate({
        method: request.method,
        url: request.originalUrl,
        headers: request.headers,
        payloadHash: single(request.headers['x-amz-content-sha256']) ?? 'UNSIGNED-PAYLOAD',
      });
      target = parseTarget(
        request.url.startsWith(prefix) ? request.url.slice(prefix.length) : request.url,
      );
      const context: S3Context = {
        request,
        reply,
        store: options.objectStore,
        logger: options.logger,
        requestId,
        region,
        ...target,
      };
      await selectOperation(request.method, target, request.headers)(context);
    } catch (error) {
      sendError({ request, reply, logger: options.logger }, { error, requestId, target });
    }
    return reply;
  };

  app.route({ method: METHODS, url: '/', handler, exposeHeadRoute: false });
  app.route({ method: METHODS, url: '/*', handler, exposeHeadRoute: false });
  app.setErrorHandler((error, request, reply) => {
    sendError(
      { request, reply, logger: options.logger },
      { error, requestId: options.ids.uuid(), target: undefined },
    );
  });
};

/** Answers with S3's `<Error>` document (no body for HEAD), or cuts the connection mid-response. */
function sendError(
  http: { request: FastifyRequest; reply: FastifyReply; logger: Logger },
  failure: { error: unknown; requestId: string; target: S3Target | undefined },
): void {
  const { request, reply, logger } = http;
  const { error, requestId, target } = failure;
  let s3 = toS3Error(error);
  if (!s3) {
    logger.error('S3 request failed', {
      requestId,
      method: request.method,
      url: request.originalUrl,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    s3 = new S3Error('InternalError', 'We encountered an internal error. Please try again.');
  }
  if (reply.sent || reply.raw.headersSent) {
    // Part of an object was sent already: only a broken connection tells the client.
    reply.raw.destroy();
    return;
  }
  releaseBody(request, reply);
  reply.code(s3.status).header('x-amz-request-id', requestId);
  if (request.method === 'HEAD') {
    void reply.send();
    return;
  }
  const resource = target
    ? `/${target.bucket}${target.key ? `/${target.key}` : ''}`
    : request.originalUrl.split('?')[0];
  const children: XmlElement[] = [
    ['Code', s3.code],
    ['Message', s3.message],
    ...Object.entries(s3.fields),
    ['Resource', resource],
    ['RequestId', requestId],
  ];
  void reply.header('content-type', 'application/xml').send(xmlDocument('Error', children, false));
}

/**
 * A body the operation did not read to the end must not stall the connection: small ones are
 * drained so the connection can be reused, large or unknown ones make us close it.
 */
function releaseBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  const length = Number(single(raw.headers['content-length']) ?? NaN);
  if (!(length <= MAX_DRAIN_BYTES)) reply.header('connection', 'close');
  raw.unpipe();
  raw.resume();
}
