import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { Command } from 'commander';
import { connectSageMaker, type ClientOptions, type SageMakerConnection } from '../client.js';
import { formatEndpointSummary } from '../endpoints/endpoint-summary.js';
import { formatJson, formatTable, formatTime, print } from '../output.js';

interface ListFlags {
  nameContains?: string;
  sortBy?: string;
  sortOrder?: string;
  max?: string;
  json?: boolean;
}

/** One resource family the CLI lists and describes, in terms of the SageMaker client. */
interface ResourceCommands {
  readonly command: string;
  readonly noun: string;
  readonly headers: readonly string[];
  list(sm: SageMakerConnection, flags: ListFlags): Promise<{ rows: string[][]; raw: unknown[] }>;
  describe(sm: SageMakerConnection, name: string): Promise<unknown>;
  /** A summary for people; without one, a description prints as JSON (it is nested). */
  summarize?(description: Record<string, unknown>): string;
}

const LIST_HEADERS = ['NAME', 'CREATED', 'ARN'];

const families: readonly ResourceCommands[] = [
  {
    command: 'models',
    noun: 'model',
    headers: LIST_HEADERS,
    async list({ client, sdk }, flags) {
      const items = await collect(flags, async (NextToken, MaxResults) => {
        const page = await client.send(
          new sdk.ListModelsCommand({ ...listInput(flags), NextToken, MaxResults }),
        );
        return { items: page.Models ?? [], next: page.NextToken };
      });
      return {
        raw: items,
        rows: items.map((m) => [m.ModelName ?? '', formatTime(m.CreationTime), m.ModelArn ?? '']),
      };
    },
    describe: ({ client, sdk }, name) =>
      client.send(new sdk.DescribeModelCommand({ ModelName: name })),
  },
  {
    command: 'endpoint-configs',
    noun: 'endpoint configuration',
    headers: LIST_HEADERS,
    async list({ client, sdk }, flags) {
      const items = await collect(flags, async (NextToken, MaxResults) => {
        const page = await client.send(
          new sdk.ListEndpointConfigsCommand({ ...listInput(flags), NextToken, MaxResults }),
        );
        return { items: page.EndpointConfigs ?? [], next: page.NextToken };
      });
      return {
        raw: items,
        rows: items.map((c) => [
          c.EndpointConfigName ?? '',
          formatTime(c.CreationTime),
          c.EndpointConfigArn ?? '',
        ]),
      };
    },
    describe: ({ client, sdk }, name) =>
      client.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: name })),
  },
  {
    command: 'endpoints',
    noun: 'endpoint',
    headers: ['NAME', 'STATUS', 'CREATED', 'ARN'],
    async list({ client, sdk }, flags) {
      const items = await collect(flags, async (NextToken, MaxResults) => {
        const page = await client.send(
          new sdk.ListEndpointsCommand({ ...listInput(flags), NextToken, MaxResults }),
        );
        return { items: page.Endpoints ?? [], next: page.NextToken };
      });
      return {
        raw: items,
        rows: items.map((e) => [
          e.EndpointName ?? '',
          e.EndpointStatus ?? '',
          formatTime(e.CreationTime),
          e.EndpointArn ?? '',
        ]),
      };
    },
    describe: ({ client, sdk }, name) =>
      client.send(new sdk.DescribeEndpointCommand({ EndpointName: name })),
    summarize: (description) =>
      formatEndpointSummary(description as unknown as DescribeEndpointCommandOutput),
  },
  {
    command: 'training-jobs',
    noun: 'training job',
    headers: ['NAME', 'STATUS', 'CREATED', 'ARN'],
    async list({ client, sdk }, flags) {
      const items = await collect(flags, async (NextToken, MaxResults) => {
        const page = await client.send(
          new sdk.ListTrainingJobsCommand({ ...listInput(flags), NextToken, MaxResults }),
        );
        return { items: page.TrainingJobSummaries ?? [], next: page.NextToken };
      });
      return {
        raw: items,
        rows: items.map((j) => [
          j.TrainingJobName ?? '',
          j.TrainingJobStatus ?? '',
          formatTime(j.CreationTime),
          j.TrainingJobArn ?? '',
        ]),
      };
    },
    describe: ({ client, sdk }, name) =>
      client.send(new sdk.DescribeTrainingJobCommand({ TrainingJobName: name })),
  },
  {
    command: 'processing-jobs',
    noun: 'processing job',
    headers: ['NAME', 'STATUS', 'CREATED', 'ARN'],
    async list({ client, sdk }, flags) {
      const items = await collect(flags, async (NextToken, MaxResults) => {
        const page = await client.send(
          new sdk.ListProcessingJobsCommand({ ...listInput(flags), NextToken, MaxResults }),
        );
        return { items: page.ProcessingJobSummaries ?? [], next: page.NextToken };
      });
      return {
        raw: items,
        rows: items.map((j) => [
          j.ProcessingJobName ?? '',
          j.ProcessingJobStatus ?? '',
          formatTime(j.CreationTime),
          j.ProcessingJobArn ?? '',
        ]),
      };
    },
    describe: ({ client, sdk }, name) =>
      client.send(new sdk.DescribeProcessingJobCommand({ ProcessingJobName: name })),
  },
  {
    command: 'transform-jobs',
    noun: 'transform job',
    headers: ['NAME', 'STATUS', 'CREATED', 'ARN'],
    async list({ client, sdk }, flags) {
      const items = await collect(flags, async (NextToken, MaxResults) => {
        const page = await client.send(
          new sdk.ListTransformJobsCommand({ ...listInput(flags), NextToken, MaxResults }),
        );
        return { items: page.TransformJobSummaries ?? [], next: page.NextToken };
      });
      return {
        raw: items,
        rows: items.map((j) => [
          j.TransformJobName ?? '',
          j.TransformJobStatus ?? '',
          formatTime(j.CreationTime),
          j.TransformJobArn ?? '',
        ]),
      };
    },
    describe: ({ client, sdk }, name) =>
      client.send(new sdk.DescribeTransformJobCommand({ TransformJobName: name })),
  },
];

/** `plinth models|endpoint-configs|endpoints|training-jobs|processing-jobs|transform-jobs list|describe`. */
export function registerResourceCommands(
  program: Command,
  clientOptions: () => ClientOptions,
): void {
  for (const family of families) {
    const group = program.command(family.command).description(`list and describe ${family.noun}s`);
    group
      .command('list')
      .description(`list ${family.noun}s, newest first`)
      .option('--name-contains <text>', 'only names containing this text')
      .option('--sort-by <key>', 'Name or CreationTime', 'CreationTime')
      .option('--sort-order <order>', 'Ascending or Descending', 'Descending')
      .option('--max <n>', 'stop after this many (default: all)')
      .option('--json', 'print JSON instead of a table')
      .action(async (flags: ListFlags) => {
        const { rows, raw } = await family.list(await connectSageMaker(clientOptions()), flags);
        if (flags.json) print(formatJson(raw));
        else print(rows.length === 0 ? `No ${family.noun}s.` : formatTable(family.headers, rows));
      });
    group
      .command('describe <name>')
      .description(`show one ${family.noun}`)
      .option(
        '--json',
        family.summarize
          ? 'print the whole description as JSON instead of a summary'
          : 'print JSON (the default: a description is nested)',
        !family.summarize,
      )
      .action(async (name: string, flags: { json: boolean }) => {
        const { $metadata: _metadata, ...description } = (await family.describe(
          await connectSageMaker(clientOptions()),
          name,
        )) as Record<string, unknown>;
        if (family.summarize && !flags.json) print(family.summarize(description));
        else print(formatJson(description));
      });
  }
}

function listInput(flags: ListFlags) {
  return {
    NameContains: flags.nameContains,
    SortBy: flags.sortBy as 'Name' | 'CreationTime' | undefined,
    SortOrder: flags.sortOrder as 'Ascending' | 'Descending' | undefined,
  };
}

/** Follows NextToken until the end, or until --max items. */
async function collect<T>(
  flags: ListFlags,
  fetchPage: (
    nextToken: string | undefined,
    maxResults: number,
  ) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const limit = flags.max === undefined ? Infinity : Number(flags.max);
  if (Number.isNaN(limit) || limit < 1)
    throw new Error(`--max must be a positive number, got '${flags.max}'`);
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token, Math.min(100, limit - items.length));
    items.push(...page.items);
    token = page.next;
  } while (token && items.length < limit);
  return items.slice(0, limit);
}
