import { describe, expect, it } from 'vitest';
import { requestFeeds } from './feeds.js';
import type { OnnxInput } from './onnx-model.js';

const json = (body: unknown) => ({
  body: Buffer.from(JSON.stringify(body)),
  contentType: 'application/json',
  accept: 'application/json' as const,
});
const input = (name: string, type: OnnxInput['type'], shape: OnnxInput['shape']): OnnxInput => ({
  name,
  type,
  shape,
});

/** The status and message a request fails with. */
async function failure(promise: Promise<unknown>): Promise<[number, string]> {
  const error = (await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )) as { status?: number; message: string };
  return [error.status ?? 0, error.message];
}

describe('requestFeeds', () => {
  it('builds tensors of the declared types', async () => {
    const feeds = await requestFeeds(
      json({ inputs: { flags: [[true, false]], small: [[-128, 127]] } }),
      [input('flags', 'bool', ['n', 2]), input('small', 'int8', ['n', 2])],
    );
    expect([...(feeds.flags!.data as Uint8Array)]).toEqual([1, 0]);
    expect(feeds.small!.type).toBe('int8');
    expect([...(feeds.small!.data as Int8Array)]).toEqual([-128, 127]);
  });

  it('refuses values the declared type cannot hold', async () => {
    expect(await failure(requestFeeds(json([['yes']]), [input('f', 'bool', ['n', 1])]))).toEqual([
      400,
      'Value 0 of input \'f\' is "yes"; this bool input takes true, false, 1 or 0.',
    ]);
    expect(await failure(requestFeeds(json([[200]]), [input('s', 'int8', ['n', 1])]))).toEqual([
      400,
      "Value 0 of input 's' is 200; this int8 input takes integers from -128 to 127.",
    ]);
  });

  it('refuses ragged rows, in JSON and in CSV', async () => {
    const x = [input('x', 'float32', ['n', 2])];
    expect(
      await failure(
        requestFeeds(
          json([
            [1, 2],
            [3, [4]],
          ]),
          x,
        ),
      ),
    ).toEqual([
      400,
      'The request body[1][1] is an array where a number was expected: the nested arrays must be rectangular (shape [2, 2]).',
    ]);
    const csv = {
      body: Buffer.from('1,2\n3\n'),
      contentType: 'text/csv',
      accept: 'text/csv' as const,
    };
    // The CSV reader's DataFormatError, which the server answers with 400.
    await expect(requestFeeds(csv, x)).rejects.toThrow(
      'The request body, line 2: expected 2 columns (2 features, no label) but found 1.',
    );
  });
});
