// Training job overhead: the time from sending CreateTrainingJob to the job program's first
// log line, against spawning the same program directly with `node` (time to its first stdout
// line). Two programs: a one-line Node script in script mode (plinth/node) and the built-in
// k-means on a tiny CSV. Jobs run one after another; medians and p90 printed.
// Usage: npm run bench:job-overhead -- [--jobs 10]
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  type CreateTrainingJobCommandInput,
  type DescribeTrainingJobCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median, plinthReadyUrl, ROOT, spawnServer } from './src/processes.js';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '10' } } });
const jobCount = Number(values.jobs);

const BUCKET = 'bench';
const LOG_GROUP = '/aws/sagemaker/TrainingJobs';
/**
 * How often a job is described to see whether it has ended. Slow on purpose: the figure comes
 * from the log's timestamps, and polling while the job starts would take CPU from it.
 */
const END_POLL_MS = 200;
const MARKER = 'plinth-bench-first-line';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);
/**
 * The environment a direct run gets: what Plinth's local executor passes every job from the
 * server (PATH, HOME, LANG), so both sides start Node with the same variables. (A variable
 * such as NODE_EXTRA_CA_CERTS alone changes Node's start-up time.)
 */
const JOB_ENV = Object.fromEntries(
  ['PATH', 'HOME', 'LANG'].flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value]];
  }),
);
/** The phases of a job's start, from its SecondaryStatusTransitions, in order. */
const PHASES = ['request', 'Starting', 'Downloading', 'Training'] as const;

/** One program measured both ways. */
interface Program {
  readonly label: string;
  /** The program's first line, where it is fixed (k-means' carries a time and a pid). */
  readonly marker?: string;
  /** Spawns the program directly: the command, its arguments and environment. */
  readonly direct: { command: string; args: string[]; cwd: string; env?: NodeJS.ProcessEnv };
  /** The CreateTrainingJob request for a job named `name`. */
  request(name: string): CreateTrainingJobCommandInput;
}

/** What one Plinth job's start took, in milliseconds from sending CreateTrainingJob. */
interface JobTiming {
  /** Until the first log event's timestamp (stamped by Plinth when it read the line). */
  firstLine: number;
  /** How long each phase before the first line lasted. */
  phases: Record<(typeof PHASES)[number], number>;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Milliseconds from spawning a program to the first line on its stdout. */
function timeDirect(direct: Program['direct']): Promise<number> {
  const started = performance.now();
  const child = spawn(direct.command, direct.args, {
    cwd: direct.cwd,
    env: { ...JOB_ENV, ...direct.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    let firstLineMs: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (firstLineMs === undefined && text.includes('\n'))
        firstLineMs = performance.now() - started;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0 || firstLineMs === undefined)
        reject(new Error(`${direct.command} ${direct.args.join(' ')} exited with ${code}`));
      else resolve(firstLineMs);
    });
  });
}

/**
 * The first event of a job's log, read through the CloudWatch Logs API once the job has ended.
 * Its timestamp is when Plinth read the line from the program's stdout, on this machine's clock.
 */
async function firstLogEvent(
  logs: CloudWatchLogsClient,
  job: string,
): Promise<{ timestamp: number; message: string }> {
  const { logStreams = [] } = await logs.send(
    new DescribeLogStreamsCommand({ logGroupName: LOG_GROUP, logStreamNamePrefix: `${job}/` }),
  );
  const { events = [] } = await logs.send(
    new GetLogEventsCommand({
      logGroupName: LOG_GROUP,
      logStreamName: logStreams[0]!.logStreamName!,
      startFromHead: true,
      limit: 1,
    }),
  );
  return { timestamp: events[0]!.timestamp!, message: events[0]!.message ?? '' };
}

async function waitForEnd(
  sm: SageMakerClient,
  name: string,
): Promise<DescribeTrainingJobCommandOutput> {
  for (;;) {
    const job = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    if (TERMINAL.has(job.TrainingJobStatus!)) return job;
    await new Promise((r) => setTimeout(r, END_POLL_MS));
  }
}

/** Runs one job and times its start; the job must complete. */
async function timeJob(run: {
  sm: SageMakerClient;
  logs: CloudWatchLogsClient;
  program: Program;
  name: string;
}): Promise<JobTiming> {
  const sent = Date.now();
  await run.sm.send(new CreateTrainingJobCommand(run.program.request(run.name)));
  const job = await waitForEnd(run.sm, run.name);
  if (job.TrainingJobStatus !== 'Completed')
    throw new Error(`${run.name}: ${job.TrainingJobStatus} ${job.FailureReason ?? ''}`);
  const first = await firstLogEvent(run.logs, run.name);
  if (run.program.marker !== undefined && first.message !== run.program.marker)
    throw new Error(`${run.name}: the first line was '${first.message}'`);
  const started = (status: string) =>
    job.SecondaryStatusTransitions!.find((t) => t.Status === status)!.StartTime!.getTime();
  const created = job.CreationTime!.getTime();
  return {
    firstLine: first.timestamp - sent,
    phases: {
      request: created - sent,
      // Starting also holds any wait for capacity (Pending) before Downloading.
      Starting: started('Downloading') - created,
      Downloading: started('Training') - started('Downloading'),
      Training: first.timestamp - started('Training'),
    },
  };
}

/** A sourcedir.tar.gz holding the given files, as the SageMaker SDK uploads it. */
function tarball(dir: string, files: Record<string, string>): Buffer {
  const src = mkdtempSync(join(dir, 'src-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
  const out = join(dir, 'sourcedir.tar.gz');
  const tar = spawnSync('tar', ['-czf', out, '-C', src, '.']);
  if (tar.status !== 0) throw new Error(tar.stderr.toString());
  return readFileSync(out);
}

function baseRequest(name: string): Omit<CreateTrainingJobCommandInput, 'AlgorithmSpecification'> {
  return {
    TrainingJobName: name,
    RoleArn: 'arn:aws:iam::000000000000:role/bench',
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
  };
}

/** Lays out the programs' inputs locally and in Plinth's S3, and describes both programs. */
async function preparePrograms(work: string, s3: S3Client): Promise<Program[]> {
  const script = `console.log('${MARKER}');\n`;
  const scriptDir = join(work, 'script');
  mkdirSync(scriptDir);
  writeFileSync(join(scriptDir, 'train.js'), script);
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'code/sourcedir.tar.gz',
      Body: tarball(work, { 'train.js': script }),
    }),
  );
  const csv = Array.from({ length: 30 }, (_, i) => `${i % 3},${(i * 7) % 5}`).join('\n') + '\n';
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kmeans/train/data.csv', Body: csv }));
  // The k-means program reads SageMaker's container contract under PLINTH_ML_ROOT.
  const mlRoot = join(work, 'kmeans-root');
  mkdirSync(join(mlRoot, 'input/config'), { recursive: true });
  mkdirSync(join(mlRoot, 'input/data/train'), { recursive: true });
  const hyperParameters = { k: '3', feature_dim: '2' };
  const contentType = 'text/csv;label_size=0';
  writeFileSync(join(mlRoot, 'input/config/hyperparameters.json'), JSON.stringify(hyperParameters));
  writeFileSync(
    join(mlRoot, 'input/config/inputdataconfig.json'),
    JSON.stringify({ train: { ContentType: contentType } }),
  );
  writeFileSync(join(mlRoot, 'input/data/train/data.csv'), csv);
  return [
    {
      label: 'Node script (plinth/node, script mode)',
      marker: MARKER,
      // Script mode runs the program with `node` from PATH in the extracted source directory.
      direct: { command: 'node', args: ['train.js'], cwd: scriptDir },
      request: (name) => ({
        ...baseRequest(name),
        AlgorithmSpecification: { TrainingImage: 'plinth/node:20', TrainingInputMode: 'File' },
        HyperParameters: {
          sagemaker_program: '"train.js"',
          sagemaker_submit_directory: `"s3://${BUCKET}/code/sourcedir.tar.gz"`,
        },
      }),
    },
    {
      label: 'built-in k-means, 30-row CSV',
      direct: {
        command: process.execPath,
        args: [join(ROOT, 'packages/algorithms/dist/programs/kmeans-train.js')],
        cwd: mlRoot,
        env: { PLINTH_ML_ROOT: mlRoot },
      },
      request: (name) => ({
        ...baseRequest(name),
        AlgorithmSpecification: { TrainingImage: 'plinth/kmeans:1', TrainingInputMode: 'File' },
        HyperParameters: hyperParameters,
        InputDataConfig: [
          {
            ChannelName: 'train',
            ContentType: contentType,
            DataSource: {
              S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/kmeans/train` },
            },
          },
        ],
      }),
    },
  ];
}

const fmt = (ms: number) => ms.toFixed(0);

const work = mkdtempSync(join(tmpdir(), 'plinth-bench-jobs-'));
const dataDir = join(work, 'data');
const plinth = await spawnServer(
  ['packages/cli/dist/bin.js', 'serve', '--port', '0', '--data-dir', dataDir],
  plinthReadyUrl,
);
try {
  const config = { endpoint: plinth.url, region: 'us-east-1', credentials: CREDENTIALS };
  const sm = new SageMakerClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const logs = new CloudWatchLogsClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const programs = await preparePrograms(work, s3);
  const results = [];
  for (const [p, program] of programs.entries()) {
    // One unmeasured run of each first: the first spawn and the first job warm caches.
    await timeDirect(program.direct);
    await timeJob({ sm, logs, program, name: `warm-up-${p}` });
    const direct: number[] = [];
    const jobs: JobTiming[] = [];
    for (let i = 0; i < jobCount; i++) {
      direct.push(await timeDirect(program.direct));
      jobs.push(await timeJob({ sm, logs, program, name: `bench-${p}-${i}` }));
    }
    results.push({ program, direct, jobs });
  }

  console.log(
    `\nTraining job overhead: ${jobCount} jobs per program, one at a time, median (p90) ms; ${cpus().length} cores, Node ${process.version}`,
  );
  console.log(
    '| program | direct spawn to first line | CreateTrainingJob to first line | Plinth overhead |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const { program, direct, jobs } of results) {
    const plinthMs = jobs.map((j) => j.firstLine);
    console.log(
      `| ${program.label} | ${fmt(median(direct))} (${fmt(percentile(direct, 90))}) | ${fmt(median(plinthMs))} (${fmt(percentile(plinthMs, 90))}) | ${fmt(median(plinthMs) - median(direct))} |`,
    );
  }
  console.log(
    "\nWhere it goes (median ms): request = sending CreateTrainingJob to the job's CreationTime; then each secondary status until the next (Training: until the first line)",
  );
  console.log(`| program | ${PHASES.join(' | ')} |`);
  console.log(`| --- |${' ---: |'.repeat(PHASES.length)}`);
  for (const { program, jobs } of results) {
    const cells = PHASES.map((phase) => fmt(median(jobs.map((j) => j.phases[phase]))));
    console.log(`| ${program.label} | ${cells.join(' | ')} |`);
  }
} finally {
  await plinth.stop();
  rmSync(work, { recursive: true, force: true });
}
