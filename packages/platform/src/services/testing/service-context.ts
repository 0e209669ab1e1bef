import type { Clock } from '../../core/clock.js';
import { openMetadataStore } from '../../store/open-metadata-store.js';
import type { ServiceContext } from '../shared/resource-kind.js';

/** A clock that stands still until a test moves it. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Services over a real in-memory SQLite store and a manual clock. */
export async function createTestContext(): Promise<
  ServiceContext & { clock: ManualClock; close(): Promise<void> }
> {
  const store = await openMetadataStore('sqlite::memory:');
  return {
    store,
    clock: new ManualClock(),
    account: { region: 'eu-west-1', accountId: '111122223333' },
    close: () => store.close(),
  };
}
