import type { Command } from 'commander';
import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, connectSageMaker, type ClientOptions } from '../client.js';

/** Where SageMaker (and Plinth) keep training jobs' logs. */
const TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
/** How often --follow asks for new lines. */
const FOLLOW_INTERVAL_MS = 1_000;
const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** `plinth logs <job> [--follow]`: a training job's log, through the CloudWatch Logs API. */
export function registerLogs(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('logs <job>')
    .description("print a training job's log (each host's lines prefixed when there are several)")
    .option('-f, --follow', 'keep printing new lines until the job ends, then print its status')
    .action(async (job: string, flags: { follow?: boolean }) => {
      const sm = await connectSageMaker(clientOptions());
      const described = () =>
        sm.client.send(new sm.sdk.DescribeTrainingJobCommand({ TrainingJobName: job }));
      await described(); // ResourceNotFound for a job that does not exist, before anything else
      const logs = await connectLogs(clientOptions());
      const tokens = new Map<string, string | undefined>();
      for (;;) {
        const status = flags.follow ? (await described()).TrainingJobStatus : undefined;
        await printNewEvents({ logs, job, tokens });
        if (!flags.follow || (status && TERMINAL.has(status))) break;
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
      }
      if (flags.follow) {
        const final = await described();
        const reason = final.FailureReason ? `: ${final.FailureReason}` : '';
        process.stderr.write(`Training job ${job}: ${final.TrainingJobStatus}${reason}\n`);
        if (final.TrainingJobStatus === 'Failed') process.exitCode = 1;
      } else if (tokens.size === 0) {
        process.stderr.write(`No log lines yet for ${job}.\n`);
      }
    });
}

interface LogsConnection {
  readonly sdk: typeof LogsSdk;
  readonly client: LogsSdk.CloudWatchLogsClient;
}

async function connectLogs(options: ClientOptions): Promise<LogsConnection> {
  const sdk = await import('@aws-sdk/client-cloudwatch-logs');
  return { sdk, client: new sdk.CloudWatchLogsClient(clientConfig(options)) };
}

/** Prints every stream's events past the token last seen for it, and remembers the new tokens. */
async function printNewEvents(run: {
  logs: LogsConnection;
  job: string;
  tokens: Map<string, string | undefined>;
}): Promise<void> {
  const { logs, job, tokens } = run;
  const { logStreams = [] } = await logs.client.send(
    new logs.sdk.DescribeLogStreamsCommand({
      logGroupName: TRAINING_LOG_GROUP,
      logStreamNamePrefix: `${job}/`,
    }),
  );
  const prefixed = logStreams.length > 1;
  for (const stream of logStreams) {
    const name = stream.logStreamName!;
    const page = await logs.client.send(
      new logs.sdk.GetLogEventsCommand({
        logGroupName: TRAINING_LOG_GROUP,
        logStreamName: name,
        startFromHead: true,
        nextToken: tokens.get(name),
      }),
    );
    const host = name.slice(job.length + 1).replace(/-\d+$/, '');
    for (const event of page.events ?? [])
      process.stdout.write(`${prefixed ? `[${host}] ` : ''}${event.message ?? ''}\n`);
    tokens.set(name, page.nextForwardToken);
  }
}
