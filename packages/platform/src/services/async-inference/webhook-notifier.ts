import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type { Notifier } from './notifier.js';

/** Waits between delivery attempts: a webhook down for under half a minute misses nothing. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000];
/** A webhook that has not answered in this long is tried again. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookNotifierOptions {
  /** Topic ARN -> the http(s) URL its messages are POSTed to (PLINTH_NOTIFICATION_WEBHOOKS). */
  readonly webhooks: ReadonlyMap<string, string>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Waits before the second, third, ... attempt; their number is the retries. */
  readonly retryDelaysMs?: readonly number[];
}

/**
 * Delivers each topic's messages to the webhook configured for it, as SNS delivers to an HTTP
 * subscription: a POST of SNS's JSON envelope (`Type` Notification, `MessageId`, `TopicArn`,
 * `Message` holding the message as text, `Timestamp`) with SNS's `x-amz-sns-*` headers, but
 * unsigned. Any 2xx answer is a delivery; others and network errors are retried.
 */
export class WebhookNotifier implements Notifier {
  constructor(private readonly options: WebhookNotifierOptions) {}

  async publish(topicArn: string, message: Record<string, unknown>): Promise<boolean> {
    const url = this.options.webhooks.get(topicArn);
    if (!url) {
      this.options.logger.warn(
        'No webhook is configured for this topic (PLINTH_NOTIFICATION_WEBHOOKS); the notification is dropped',
        { topicArn },
      );
      return false;
    }
    const messageId = this.options.ids.uuid();
    const envelope = JSON.stringify({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topicArn,
      Message: JSON.stringify(message),
      Timestamp: this.options.clock.now().toISOString(),
    });
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    let problem = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain; charset=UTF-8',
            'x-amz-sns-message-type': 'Notification',
            'x-amz-sns-message-id': messageId,
            'x-amz-sns-topic-arn': topicArn,
          },
          body: envelope,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        if (response.ok) return true;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        problem = (error as Error).message;
      }
      this.options.logger.warn('A notification webhook did not take the message', {
        topicArn,
        url,
        attempt: attempt + 1,
        problem,
      });
    }
    this.options.logger.error('Gave up delivering a notification', {
      topicArn,
      url,
      attempts: delays.length + 1,
      problem,
    });
    return false;
  }
}
