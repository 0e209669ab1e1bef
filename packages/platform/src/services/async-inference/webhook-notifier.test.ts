import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { ManualClock } from '../testing/service-context.js';
import { WebhookNotifier } from './webhook-notifier.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:done';

describe('WebhookNotifier (a real HTTP server)', () => {
  let server: Server;
  let url: string;
  let received: { headers: IncomingHttpHeaders; body: string }[];
  /** Statuses the server answers with, in turn; 200 once they run out. */
  let statuses: number[];

  function notifier(retryDelaysMs: number[]): WebhookNotifier {
    return new WebhookNotifier({
      webhooks: new Map([[TOPIC, url]]),
      clock: new ManualClock(),
      ids: { uuid: () => 'message-1' },
      logger: silentLogger,
      retryDelaysMs,
    });
  }

  beforeEach(async () => {
    received = [];
    statuses = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.statusCode = statuses.shift() ?? 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("POSTs SNS's envelope with the message as text and SNS's headers", async () => {
    expect(
      await notifier([]).publish(TOPIC, { inferenceId: 'a', invocationStatus: 'Completed' }),
    ).toBe(true);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': 'message-1',
      'x-amz-sns-topic-arn': TOPIC,
    });
    expect(JSON.parse(delivery!.body)).toEqual({
      Type: 'Notification',
      MessageId: 'message-1',
      TopicArn: TOPIC,
      Message: JSON.stringify({ inferenceId: 'a', invocationStatus: 'Completed' }),
      Timestamp: '2026-01-01T00:00:00.000Z',
    });
  });

  it('retries a webhook that fails, and gives up after the last retry', async () => {
    statuses = [500, 503];
    expect(await notifier([1, 1, 1]).publish(TOPIC, {})).toBe(true);
    expect(received).toHaveLength(3);

    received = [];
    statuses = [500, 500, 500];
    expect(await notifier([1, 1]).publish(TOPIC, {})).toBe(false);
    expect(received).toHaveLength(3);
  });

  it('drops, without trying, a message for a topic no webhook is configured for', async () => {
    expect(await notifier([]).publish('arn:aws:sns:us-east-1:111122223333:other', {})).toBe(false);
    expect(received).toHaveLength(0);
  });
});
