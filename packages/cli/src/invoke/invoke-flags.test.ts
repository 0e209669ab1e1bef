import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBodySource, parseBodyFile } from './invoke-flags.js';
import { readRequestBody } from './request-body.js';

describe('plinth invoke request bodies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-invoke-flags-'));
  const file = join(dir, 'rows.csv');
  writeFileSync(file, '1,2\n3,4\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes --file as an existing file, or - for stdin', () => {
    expect(parseBodyFile(file)).toBe(file);
    expect(parseBodyFile('-')).toBe('-');
    expect(() => parseBodyFile(join(dir, 'missing.csv'))).toThrow(
      `There is no file '${join(dir, 'missing.csv')}'.`,
    );
    expect(() => parseBodyFile(dir)).toThrow('is a folder, not a file');
  });

  it('takes the body from exactly one of --body and --file', () => {
    expect(chooseBodySource({ body: '1,2' })).toEqual({ text: '1,2' });
    expect(chooseBodySource({ body: '' })).toEqual({ text: '' });
    expect(chooseBodySource({ file })).toEqual({ path: file });
    expect(chooseBodySource({ file: '-' })).toEqual({ stdin: true });
    expect(chooseBodySource({})).toBe(
      "give the request body with --body '<text>', --file <path>, or --file - to read stdin",
    );
    expect(chooseBodySource({ body: '1,2', file })).toBe(
      'give the request body once: either --body <text> or --file <path>',
    );
  });

  it('reads the bytes of the text, the file, or all of stdin', async () => {
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
    expect(text(await readRequestBody({ text: '1,2' }))).toBe('1,2');
    expect(text(await readRequestBody({ path: file }))).toBe('1,2\n3,4\n');
    const stdin = Readable.from([Buffer.from('5,6\n'), '7,8\n']);
    expect(text(await readRequestBody({ stdin: true }, stdin))).toBe('5,6\n7,8\n');
  });
});
