import { S3Client } from '@aws-sdk/client-s3';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { randomIds } from '../../core/ids.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { s3Plugin } from './s3-plugin.js';

/** An authenticator for tests and signature-less setups: accepts every request. */
export const acceptAllAuthenticator: Authenticator = {
  enabled: false,
  authenticate: (): Principal => ({ accessKeyId: 'anonymous' }),
};

/** A running S3 API over a file store in a temp folder, for tests (Plinth's own and its clients'). */
export interface S3TestServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly port: number;
  readonly root: string;
  readonly store: FileObjectStore;
  /** A real `@aws-sdk/client-s3` client pointed at this server, path-style. */
  client(): S3Client;
  close(): Promise<void>;
}

/**
 * Starts the S3 plugin the way the server mounts it (URLs rewritten under `/_s3`) on
 * 127.0.0.1 and a free port.
 */
export async function startS3TestServer(
  options: { authenticator?: Authenticator; logger?: Logger } = {},
): Promise<S3TestServer> {
  const root = await mkdtemp(join(tmpdir(), 'plinth-s3-'));
  const store = new FileObjectStore(root);
  const app = Fastify({ rewriteUrl: (request) => '/_s3' + (request.url ?? '/') });
  await app.register(s3Plugin, {
    prefix: '/_s3',
    objectStore: store,
    authenticator: options.authenticator ?? acceptAllAuthenticator,
    ids: randomIds,
    logger: options.logger ?? silentLogger,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    app,
    url,
    port,
    root,
    store,
    client: () => {
      const client = new S3Client({
        endpoint: url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIDPLINTHTEST', secretAccessKey: 'plinth-test-secret' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.destroy();
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The error name and HTTP status a client sees when `promise` fails; throws if it succeeds. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
