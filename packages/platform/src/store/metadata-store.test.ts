import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { defineMetadataStoreSuite } from './metadata-store.suite.js';
import { openMetadataStore } from './open-metadata-store.js';
import { describeWithPostgres, dropSchema, uniqueSchemaName } from './testing/postgres.js';

describe('SQLite file', () => {
  defineMetadataStoreSuite(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-store-'));
    // A directory that does not exist yet: opening must create it.
    const url = `sqlite:${join(dir, 'data', 'metadata.db')}`;
    return {
      open: () => openMetadataStore(url),
      destroy: () => rm(dir, { recursive: true, force: true }),
      persistent: true,
      concurrentOpens: false,
    };
  });
});

describe('SQLite in memory', () => {
  defineMetadataStoreSuite(async () => ({
    open: () => openMetadataStore('sqlite::memory:'),
    destroy: async () => undefined,
    persistent: false,
    concurrentOpens: false,
  }));
});

await describeWithPostgres('Postgres', (url) => {
  defineMetadataStoreSuite(async () => {
    const schema = uniqueSchemaName();
    return {
      open: () => openMetadataStore(url, { postgresSchema: schema }),
      destroy: () => dropSchema(url, schema),
      persistent: true,
      concurrentOpens: true,
    };
  });
});
