import { randomUUID } from 'node:crypto';

/** The source of unique identifiers (request ids, job ids), injected so tests can control it. */
export interface IdGenerator {
  uuid(): string;
}

export const randomIds: IdGenerator = { uuid: () => randomUUID() };
