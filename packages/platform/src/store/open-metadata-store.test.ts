import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMetadataStore } from './open-metadata-store.js';
import { makeRecord } from './testing/records.js';

describe('openMetadataStore', () => {
  it('names the variable and the accepted forms for an unknown scheme, without the password', async () => {
    const error = await openMetadataStore('mysql://root:hunter2@db/plinth').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('PLINTH_DATABASE_URL');
    expect(message).toContain('sqlite:');
    expect(message).toContain('postgres://');
    expect(message).not.toContain('hunter2');
  });

  it('refuses sqlite: without a path', async () => {
    await expect(openMetadataStore('sqlite:')).rejects.toThrow(/PLINTH_DATABASE_URL/);
  });

  it('accepts the sqlite:/// form of an absolute path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-open-'));
    try {
      const first = await openMetadataStore(`sqlite://${join(dir, 'm.db')}`);
      await first.resources.insert(makeRecord({ name: 'kept' }));
      await first.close();
      const second = await openMetadataStore(`sqlite:${join(dir, 'm.db')}`);
      expect((await second.resources.get('model', 'kept'))?.name).toBe('kept');
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails, rather than hangs, when Postgres is not there', async () => {
    // Port 1 is reserved and never has a Postgres listening.
    await expect(openMetadataStore('postgres://postgres@127.0.0.1:1/none')).rejects.toThrow();
  });
});
