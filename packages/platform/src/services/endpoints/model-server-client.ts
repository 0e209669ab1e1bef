import { Agent, request } from 'undici';

/** SageMaker gives a real-time model server 60 seconds to answer an invocation. */
export const DEFAULT_INVOCATION_TIMEOUT_MS = 60_000;

/** A model server's answer, its body still arriving. */
export interface ModelResponse {
  readonly status: number;
  /** A 2xx status. */
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** The body as it arrives; read it once, by iterating or with arrayBuffer(). */
  readonly body: AsyncIterable<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Connections to model servers, kept alive between invocations. undici's own request API,
 * rather than fetch(), which builds WHATWG streams around every body and costs the front door
 * several times the CPU per forwarded request.
 */
const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });

/**
 * `POST <url>/invocations` to a model server. Rejects if the server cannot be reached, or does
 * not answer (headers, then each piece of the body) within `timeoutMs`.
 */
export async function postInvocation(
  url: string,
  call: {
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
    readonly timeoutMs?: number;
  },
): Promise<ModelResponse> {
  const timeout = call.timeoutMs ?? DEFAULT_INVOCATION_TIMEOUT_MS;
  const answer = await request(`${url}/invocations`, {
    method: 'POST',
    headers: call.headers,
    body: call.body,
    dispatcher: agent,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const headers = answer.headers;
  return {
    status: answer.statusCode,
    ok: answer.statusCode >= 200 && answer.statusCode < 300,
    headers: {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return (Array.isArray(value) ? value[0] : value) ?? null;
      },
    },
    body: answer.body,
    arrayBuffer: () => answer.body.arrayBuffer(),
  };
}

/** undici's codes for a connection that could not be made or broke before an answer. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** The model server could not be reached, or went away before answering (safe to retry elsewhere). */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code !== undefined && CONNECTION_FAILURES.has(code);
}

/** The model server did not answer, or stopped sending its answer, within the timeout. */
export function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}
