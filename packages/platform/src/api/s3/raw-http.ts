import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** What a raw HTTP exchange returned. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the server sent `100 Continue` before the final answer. */
  readonly continued: boolean;
}

/**
 * Sends one HTTP request exactly as given (no URL normalisation, body written in the given
 * pieces), for protocol tests that SDKs cannot express: hand-made aws-chunked bodies, bad
 * digests, `..` in paths, `Expect: 100-continue`.
 */
export function rawRequest(
  baseUrl: string,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: readonly (Buffer | string)[];
  },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const expectContinue = /100-continue/i.test(request.headers?.expect ?? '');
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            continued,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const send = (): void => {
      for (const piece of request.body ?? []) req.write(piece);
      req.end();
    };
    if (expectContinue) {
      req.on('continue', () => {
        continued = true;
        send();
      });
      req.flushHeaders();
    } else {
      send();
    }
  });
}
