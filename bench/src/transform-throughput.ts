// Batch transform throughput: a Plinth transform job on several instances against the anchor,
// the same model code in a tight loop in one Node process (transform-anchor.ts), on the same
// input files, sides alternating; then both outputs are checked against each other.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { markdownTable } from './markdown.js';
import type { PlinthClients } from './plinth-hosting.js';
import { getText, putObject } from './plinth-objects.js';
import { runTransformJob } from './plinth-transform.js';
import { median } from './processes.js';
import { alternate, type Rounds } from './side-by-side.js';
import { runTimed } from './timed-run.js';

/** Plinth's rows/s as a share of the anchor's that the goal asks for. */
export const TRANSFORM_GOAL = 0.8;
const MIB = 1024 * 1024;
/** Predictions compared line by line between the two outputs. */
const SAMPLES = 1000;

export interface TransformBench {
  readonly clients: PlinthClients;
  readonly model: string;
  /** The model's unpacked artifact, for the anchor. */
  readonly modelDir: string;
  readonly inputs: readonly { path: string; rows: number }[];
  readonly bucket: string;
  readonly counts: Rounds;
  readonly instances: number;
  readonly maxPayloadInMB: number;
  readonly maxConcurrentTransforms: number;
  /** Where the anchor writes its outputs. */
  readonly work: string;
}

/** The section's markdown: the comparison table, the output check and the goal. */
export async function transformThroughput(bench: TransformBench): Promise<string> {
  const { clients, inputs, bucket } = bench;
  const totalRows = inputs.reduce((sum, input) => sum + input.rows, 0);
  const prefix = `s3://${bucket}/transform-in`;
  for (const input of inputs)
    await putObject(clients.s3, `${prefix}/${basename(input.path)}`, { file: input.path });
  const anchorOut = join(bench.work, 'anchor-out');
  await mkdir(anchorOut, { recursive: true });

  let jobs = 0;
  const jobMs: number[] = [];
  const anchorMs: number[] = [];
  const outputPath = (job: number) => `s3://${bucket}/transform-out/job-${job}`;
  const plinth = async () => {
    jobs += 1;
    const timing = await runTransformJob(clients.sm, {
      name: `transform-${jobs}`,
      model: bench.model,
      input: prefix,
      outputPath: outputPath(jobs),
      instances: bench.instances,
      maxPayloadInMB: bench.maxPayloadInMB,
      maxConcurrentTransforms: bench.maxConcurrentTransforms,
    });
    jobMs.push(timing.jobMs);
    return { wallMs: timing.wallMs };
  };
  const anchor = async () => {
    const args = ['bench/dist/src/transform-anchor.js', bench.modelDir, anchorOut];
    args.push(String(bench.maxPayloadInMB * MIB), ...inputs.map((input) => input.path));
    const run = await runTimed(process.execPath, args);
    const reported = JSON.parse(run.stdout) as { rows: number; ms: number };
    if (reported.rows !== totalRows)
      throw new Error(`the anchor scored ${reported.rows} rows, not ${totalRows}`);
    anchorMs.push(reported.ms);
    return { wallMs: run.ms };
  };
  const [plinthRuns, anchorRuns] = await alternate([plinth, anchor], bench.counts);
  const measured = (all: number[]) => all.slice(-bench.counts.rounds);
  const check = await compareOutputs(bench, { plinth: outputPath(jobs), anchor: anchorOut });

  const wall = {
    plinth: median(plinthRuns!.map((r) => r.wallMs)),
    anchor: median(anchorRuns!.map((r) => r.wallMs)),
  };
  const rate = (ms: number) => totalRows / (ms / 1000);
  const share = rate(wall.plinth) / rate(wall.anchor);
  const row = (name: string, ms: number, innerMs: number) => [
    name,
    (ms / 1000).toFixed(2),
    (innerMs / 1000).toFixed(2),
    rate(ms).toFixed(0),
    (rate(ms) / rate(wall.anchor)).toFixed(2),
  ];
  const table = markdownTable(
    ['side', 'wall s', 'inner s', 'rows/s', 'rows/s vs anchor'],
    [
      row(
        `Plinth transform job, ${bench.instances} instances`,
        wall.plinth,
        median(measured(jobMs)),
      ),
      row('anchor: same model code, one Node process', wall.anchor, median(measured(anchorMs))),
    ],
  );
  return [
    table,
    '',
    `Outputs: ${check.lines.plinth} lines from Plinth and ${check.lines.anchor} from the anchor for ${totalRows} input rows; ${check.matching} of ${check.sampled} sampled predictions equal the anchor's; whole outputs byte-identical: ${check.identical ? 'yes' : 'no'}.`,
    '',
    `Plinth's rows/s are ${(100 * share).toFixed(0)}% of the anchor's (goal >= ${100 * TRANSFORM_GOAL}%: ${share >= TRANSFORM_GOAL ? 'met' : 'not met'}).`,
  ].join('\n');
}

/** What comparing the last job's outputs with the anchor's last outputs found. */
interface OutputCheck {
  readonly lines: { plinth: number; anchor: number };
  readonly sampled: number;
  readonly matching: number;
  readonly identical: boolean;
}

async function compareOutputs(
  bench: TransformBench,
  where: { plinth: string; anchor: string },
): Promise<OutputCheck> {
  const check = { lines: { plinth: 0, anchor: 0 }, sampled: 0, matching: 0, identical: true };
  const totalRows = bench.inputs.reduce((sum, input) => sum + input.rows, 0);
  const step = Math.max(1, Math.floor(totalRows / SAMPLES));
  for (const input of bench.inputs) {
    const name = `${basename(input.path)}.out`;
    const plinth = await getText(bench.clients.s3, `${where.plinth}/${name}`);
    const anchor = await readFile(join(where.anchor, name), 'utf8');
    check.identical &&= plinth === anchor;
    const plinthLines = linesOf(plinth);
    const anchorLines = linesOf(anchor);
    check.lines.plinth += plinthLines.length;
    check.lines.anchor += anchorLines.length;
    for (let i = 0; i < input.rows; i += step) {
      check.sampled += 1;
      if (plinthLines[i] !== undefined && plinthLines[i] === anchorLines[i]) check.matching += 1;
    }
  }
  return check;
}

/** The lines of a text, the last one with or without its line break. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
