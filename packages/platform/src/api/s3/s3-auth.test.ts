import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError, type AuthenticationFailure } from '../../core/errors.js';
import type { Authenticator, SignedRequest } from '../auth/authenticator.js';
import { rawRequest } from './raw-http.js';
import { startS3TestServer, type S3TestServer } from './s3-test-server.js';

let server: S3TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('S3 API: authentication', () => {
  it('authenticates the URL the client sent, with its payload hash, before anything else', async () => {
    const seen: SignedRequest[] = [];
    const recording: Authenticator = {
      enabled: true,
      authenticate: (request) => {
        seen.push(request);
        return { accessKeyId: 'AKID' };
      },
    };
    server = await startS3TestServer({ authenticator: recording });
    await server.store.createBucket('auth');
    await rawRequest(server.url, {
      method: 'PUT',
      path: '/auth/a%20b?x-id=PutObject',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: ['x'],
    });
    await rawRequest(server.url, { method: 'GET', path: '/auth?list-type=2' });
    expect(seen.map((r) => [r.method, r.url, r.payloadHash])).toEqual([
      ['PUT', '/auth/a%20b?x-id=PutObject', 'UNSIGNED-PAYLOAD'],
      ['GET', '/auth?list-type=2', 'UNSIGNED-PAYLOAD'],
    ]);
    expect(seen[0]?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
  });

  const cases: {
    failure: AuthenticationFailure;
    status: number;
    code: string;
    message?: string;
  }[] = [
    { failure: 'MissingAuthentication', status: 403, code: 'AccessDenied' },
    { failure: 'UnknownAccessKey', status: 403, code: 'InvalidAccessKeyId' },
    { failure: 'SignatureMismatch', status: 403, code: 'SignatureDoesNotMatch' },
    {
      failure: 'RequestExpired',
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    },
    { failure: 'MalformedAuthorization', status: 400, code: 'AuthorizationHeaderMalformed' },
  ];
  it.each(cases)(
    'answers $failure as $status $code and changes nothing',
    async ({ failure, status, code, message }) => {
      const refusing: Authenticator = {
        enabled: true,
        authenticate: () => {
          throw new AuthenticationError(failure, `refused: ${failure}`);
        },
      };
      server = await startS3TestServer({ authenticator: refusing });
      await server.store.createBucket('auth');
      const put = await rawRequest(server.url, {
        method: 'PUT',
        path: '/auth/k',
        body: ['secret'],
      });
      expect(put.status).toBe(status);
      expect(put.body).toContain(`<Code>${code}</Code>`);
      if (message) expect(put.body).toContain(`<Message>${message}</Message>`);
      const create = await rawRequest(server.url, { method: 'PUT', path: '/new-bucket' });
      expect(create.status).toBe(status);
      const head = await rawRequest(server.url, { method: 'HEAD', path: '/auth/k' });
      expect([head.status, head.body]).toEqual([status, '']);
      expect((await server.store.listObjects('auth')).objects).toEqual([]);
      expect(await server.store.bucketExists('new-bucket')).toBe(false);
    },
  );
});
