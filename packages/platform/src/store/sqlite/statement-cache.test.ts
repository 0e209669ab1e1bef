import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  let raw: Sqlite.Database;

  beforeEach(() => {
    raw = new Sqlite(':memory:');
    raw.exec('create table t (v integer)');
  });
  afterEach(() => {
    if (raw.open) raw.close();
  });

  it('reuses the prepared statement for the same SQL text', () => {
    const db = withStatementCache(raw);
    expect(db.prepare('select v from t')).toBe(db.prepare('select v from t'));
    expect(db.prepare('select v from t')).not.toBe(db.prepare('select v + 1 from t'));
  });

  it('evicts the least recently used statement beyond its capacity', () => {
    const db = withStatementCache(raw, 2);
    const a = db.prepare('select 1');
    db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a); // a is now the most recent
    db.prepare('select 3'); // evicts "select 2"
    expect(db.prepare('select 1')).toBe(a);
  });

  it('keeps answering correctly after the schema changes under a cached statement', () => {
    const db = withStatementCache(raw);
    raw.exec('insert into t values (1)');
    expect(db.prepare('select * from t').all([])).toEqual([{ v: 1 }]);
    raw.exec('alter table t add column w integer default 7');
    expect(db.prepare('select * from t').all([])).toEqual([{ v: 1, w: 7 }]);
  });

  it('closes the database', () => {
    withStatementCache(raw).close();
    expect(raw.open).toBe(false);
  });
});
