import { readFile } from 'node:fs/promises';
import type { BodySource } from './invoke-flags.js';

/** The bytes of a request body, read whole: SageMaker takes at most 6 MB, so streaming gains nothing. */
export async function readRequestBody(
  source: BodySource,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Uint8Array> {
  if ('text' in source) return new TextEncoder().encode(source.text);
  if ('path' in source) return readFile(source.path);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
