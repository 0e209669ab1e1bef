import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { randomIds } from '../../core/ids.js';
import { silentLogger } from '../../logging/logger.js';
import { EndpointInvoker, InvocationError } from './endpoint-invoker.js';
import { Router } from './router.js';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A real model-server stand-in: `answer` decides what each POST /invocations gets. */
async function modelServer(
  answer: (respond: (status: number, body: string) => void, destroy: () => void) => void,
): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      answer(
        (status, body) => response.writeHead(status).end(body),
        () => request.socket.destroy(),
      ),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function invoker(urls: string[]): EndpointInvoker {
  const router = new Router();
  router.set('ep', [
    { name: 'v', weight: 1, instances: urls.map((url) => ({ url, outstanding: 0 })) },
  ]);
  return new EndpointInvoker({
    router,
    clock: systemClock,
    ids: randomIds,
    logger: silentLogger,
  });
}

const call = { endpoint: 'ep', headers: { 'content-type': 'text/csv' }, body: Buffer.from('1') };

describe('EndpointInvoker', () => {
  it('sends a request whose model server dropped the connection once more, to another one', async () => {
    let dropped = 0;
    const dropping = await modelServer((_respond, destroy) => {
      dropped += 1;
      destroy();
    });
    const healthy = await modelServer((respond) => respond(200, 'ok'));
    const answer = await invoker([dropping, healthy]).invoke(call);
    expect([answer.status, answer.body.toString(), dropped]).toEqual([200, 'ok', 1]);
  });

  it('does not send again a request the model server did not answer in time', async () => {
    let received = 0;
    const slow = await modelServer(() => (received += 1));
    const other = await modelServer(() => (received += 1));
    const error = await invoker([slow, other])
      .invoke({ ...call, timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvocationError);
    expect((error as InvocationError).kind).toBe('timeout');
    expect(received).toBe(1);
  });

  it('passes a model error through as an answer, not as a failure', async () => {
    const refusing = await modelServer((respond) => respond(400, 'bad row'));
    const answer = await invoker([refusing]).invoke(call);
    expect([answer.status, answer.body.toString()]).toEqual([400, 'bad row']);
  });
});
