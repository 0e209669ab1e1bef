import { InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectEnv, parseEndpointName, parseModelData, parseVariantName } from './deploy-flags.js';

describe('plinth deploy flag values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-deploy-flags-'));
  const file = join(dir, 'model.tar.gz');
  writeFileSync(file, 'not really a tarball');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a model from the s3:// URI of one object, or an existing local file', () => {
    expect(parseModelData('s3://models/km/output/model.tar.gz')).toEqual({
      s3Uri: 's3://models/km/output/model.tar.gz',
    });
    expect(parseModelData(file)).toEqual({ localPath: file });
  });

  it('rejects a bucket, a prefix, another scheme, a missing file and a folder, saying what to give', () => {
    for (const bad of ['s3://models', 's3://models/', 's3://models/km/'])
      expect(() => parseModelData(bad), bad).toThrow('Expected the s3:// URI of one object');
    expect(() => parseModelData('https://example.com/model.tar.gz')).toThrow(
      'Only s3:// URIs and local files',
    );
    expect(() => parseModelData(join(dir, 'missing.tar.gz'))).toThrow(
      'is neither an s3:// URI nor an existing file',
    );
    expect(() => parseModelData(dir)).toThrow(`tar -czf model.tar.gz -C ${dir} .`);
  });

  it('collects --env KEY=VALUE, split at the first =', () => {
    const env = ['LOG_LEVEL=debug', 'OPTS=a=b', 'EMPTY='].reduce<
      Record<string, string> | undefined
    >((previous, entry) => collectEnv(entry, previous), undefined);
    expect(env).toEqual({ LOG_LEVEL: 'debug', OPTS: 'a=b', EMPTY: '' });
  });

  it('rejects --env that is not KEY=VALUE, a bad name, a long value or a repeated name', () => {
    for (const bad of ['LOG_LEVEL', '=debug', ''])
      expect(() => collectEnv(bad, undefined), bad).toThrow(
        new InvalidArgumentError('Expected KEY=VALUE, like LOG_LEVEL=debug.'),
      );
    for (const bad of ['1ST=x', 'MY-VAR=x', 'A.B=x'])
      expect(() => collectEnv(bad, undefined), bad).toThrow('may use only letters, digits and');
    expect(() => collectEnv(`BIG=${'x'.repeat(1025)}`, undefined)).toThrow(
      'is 1025 characters; SageMaker allows 1024',
    );
    expect(() => collectEnv('A=2', { A: '1' })).toThrow("The variable 'A' is given twice.");
  });

  it("checks endpoint and variant names against SageMaker's pattern", () => {
    expect(parseEndpointName('my-endpoint-1')).toBe('my-endpoint-1');
    expect(parseVariantName('AllTraffic')).toBe('AllTraffic');
    for (const bad of ['', '-x', 'x-', 'my_endpoint', 'a.b', 'a'.repeat(64)]) {
      expect(() => parseEndpointName(bad), bad).toThrow('1 to 63 letters, digits and hyphens');
      expect(() => parseVariantName(bad), bad).toThrow('A variant name is 1 to 63');
    }
  });
});
