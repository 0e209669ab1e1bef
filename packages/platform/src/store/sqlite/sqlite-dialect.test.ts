import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteDialect } from './sqlite-dialect.js';

describe('createSqliteDialect', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the parent directory and sets the pragmas the store relies on', async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-sqlite-'));
    const path = join(dir, 'a', 'b', 'meta.db');
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(path) });
    try {
      const pragma = async (name: string): Promise<unknown> => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(
          db,
        );
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1); // NORMAL
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(existsSync(path)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
