import { readFile } from 'node:fs/promises';

/**
 * An InvokeEndpoint body of `rows` CSV records taken from a headerless CSV whose first column
 * is the label (dropped: requests carry features only), cycling through the file if it is short.
 */
export async function csvRequestBody(labelledCsv: string, rows: number): Promise<string> {
  const lines = (await readFile(labelledCsv, 'utf8')).split('\n').filter((line) => line !== '');
  if (lines.length === 0) throw new Error(`${labelledCsv} holds no records`);
  return Array.from({ length: rows }, (_, i) => {
    const line = lines[i % lines.length]!;
    return `${line.slice(line.indexOf(',') + 1)}\n`;
  }).join('');
}
