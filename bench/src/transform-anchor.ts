// The batch transform anchor: the linear-learner model's own serving code (parse CSV rows,
// `predict`, format CSV lines) in a tight loop in one Node process, over the same input files
// and in the same <= MaxPayloadInMB batches of whole lines a transform job sends its model
// servers; each input's answers go to `<out dir>/<input file name>.out`.
// Usage: node transform-anchor.js <model dir> <out dir> <max payload bytes> <input.csv>...
// Prints one JSON line: {"rows": <records scored>, "ms": <time inside this process>}.
import { parseInferenceRows } from '@plinth/algorithms';
import { loadModel } from '@plinth/algorithms/linear-learner/model';
import { formatPredictions, predict } from '@plinth/algorithms/linear-learner/predict';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const NEWLINE = 10;

const [modelDir, outDir, maxPayload, ...inputs] = process.argv.slice(2);
if (!modelDir || !outDir || !maxPayload || inputs.length === 0)
  throw new Error(
    'usage: transform-anchor.js <model dir> <out dir> <max payload bytes> <input>...',
  );
const maxBytes = Number(maxPayload);

const started = performance.now();
const model = await loadModel(modelDir);
let rows = 0;
for (const input of inputs) {
  const text = await readFile(input);
  const answers: Buffer[] = [];
  for (const batch of lineBatches(text, maxBytes)) {
    const scored = predict(model, await parseInferenceRows(batch, 'text/csv'));
    rows += scored.length;
    answers.push(formatPredictions(scored, 'text/csv'));
  }
  await writeFile(join(outDir, `${basename(input)}.out`), Buffer.concat(answers));
}
process.stdout.write(`${JSON.stringify({ rows, ms: performance.now() - started })}\n`);

/** Consecutive runs of whole `\n`-ended lines, each at most `maxBytes` long. */
function* lineBatches(text: Buffer, maxBytes: number): Generator<Buffer> {
  let start = 0;
  let end = 0; // the end of the last whole line that fits
  for (let at = text.indexOf(NEWLINE); at !== -1; at = text.indexOf(NEWLINE, at + 1)) {
    if (at + 1 - start > maxBytes) {
      if (end === start) throw new Error(`a line longer than ${maxBytes} bytes at byte ${start}`);
      yield text.subarray(start, end);
      start = end;
    }
    end = at + 1;
  }
  if (end > start) yield text.subarray(start, end);
}
