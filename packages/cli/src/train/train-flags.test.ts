import { InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  collectChannel,
  collectHyperparameter,
  parseDataSource,
  parsePositiveInteger,
} from './train-flags.js';

describe('plinth train flag values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-cli-flags-'));
  const file = join(dir, 'data.csv');
  writeFileSync(file, '1,2\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('collects hyperparameters as name=value, split at the first =', () => {
    const collected = ['k=3', 'feature_dim=2', 'expr=a=b', 'empty='].reduce<
      Record<string, string> | undefined
    >((previous, entry) => collectHyperparameter(entry, previous), undefined);
    expect(collected).toEqual({ k: '3', feature_dim: '2', expr: 'a=b', empty: '' });
  });

  it('rejects hyperparameters that are not name=value, or that repeat a name', () => {
    for (const bad of ['k', '=3', ''])
      expect(() => collectHyperparameter(bad, undefined), bad).toThrow(
        new InvalidArgumentError('Expected name=value, like k=3.'),
      );
    expect(() => collectHyperparameter('k=4', { k: '3' })).toThrow(
      "The hyperparameter 'k' is given twice.",
    );
  });

  it('takes data from s3:// URIs and existing local files or folders only', () => {
    expect(parseDataSource('s3://bucket/train/')).toEqual({ s3Uri: 's3://bucket/train/' });
    expect(parseDataSource(file)).toEqual({ localPath: file });
    expect(parseDataSource(dir)).toEqual({ localPath: dir });
    expect(() => parseDataSource(join(dir, 'missing.csv'))).toThrow(
      'is neither an s3:// URI nor an existing file or folder',
    );
    expect(() => parseDataSource('https://example.com/data.csv')).toThrow('Only s3:// URIs');
  });

  it('collects named channels and checks their names', () => {
    const channels = collectChannel('extra=s3://b/p', collectChannel(`aux=${file}`, undefined));
    expect(channels).toEqual({ aux: { localPath: file }, extra: { s3Uri: 's3://b/p' } });
    expect(() => collectChannel('bad/name=s3://b/p', undefined)).toThrow("'bad/name'");
    expect(() => collectChannel('s3://b/p', undefined)).toThrow('Expected name=s3-uri-or-path');
    expect(() => collectChannel('aux=s3://b/q', channels)).toThrow('given twice');
  });

  it('takes counts as whole numbers of at least 1', () => {
    expect(parsePositiveInteger('3600')).toBe(3600);
    for (const bad of ['0', '-1', '1.5', 'ten', '', '1e3'])
      expect(() => parsePositiveInteger(bad), bad).toThrow('whole number');
  });
});
