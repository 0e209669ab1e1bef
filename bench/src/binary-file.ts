import { readFile } from 'node:fs/promises';

/** A file of little-endian int32 values (numpy's `astype('<i4').tofile`), copied into place. */
export async function readInt32File(path: string): Promise<Int32Array> {
  const bytes = await readFile(path);
  const values = new Int32Array(bytes.length >> 2);
  new Uint8Array(values.buffer).set(bytes.subarray(0, values.length << 2));
  return values;
}

/** A file of little-endian float64 values (numpy's `astype('<f8').tofile`), copied into place. */
export async function readFloat64File(path: string): Promise<Float64Array> {
  const bytes = await readFile(path);
  const values = new Float64Array(bytes.length >> 3);
  new Uint8Array(values.buffer).set(bytes.subarray(0, values.length << 3));
  return values;
}
