import type { LiveLine } from '../live-line.js';
import { formatElapsed } from '../output.js';
import type { EndpointDescription } from './follow-endpoint.js';

/**
 * Shows a deploying endpoint: on a terminal, a live `Creating | 0:03` line; on anything else, a
 * plain `[0:03] InService` line each time the status changes.
 */
export class EndpointProgress {
  #lastStatus: string | undefined;

  constructor(
    private readonly live: LiveLine,
    private readonly startedAt: number = Date.now(),
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one poll's description (`followEndpoint`'s onUpdate). */
  update(endpoint: EndpointDescription): void {
    const status = endpoint.EndpointStatus ?? 'Creating';
    const elapsed = formatElapsed(this.now() - this.startedAt);
    if (this.live.interactive) {
      this.live.show(`${status} | ${elapsed}`);
      return;
    }
    if (status !== this.#lastStatus) this.live.print(`[${elapsed}] ${status}`);
    this.#lastStatus = status;
  }
}
