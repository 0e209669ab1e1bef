import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { TEST_KEYS } from './clients.js';

/**
 * Every log line of each host of a job, by host (`algo-1`, ...), read with the real CloudWatch
 * Logs client from the job's log group (e.g. `/aws/sagemaker/TrainingJobs`).
 */
export async function readJobLogs(
  url: string,
  where: { logGroupName: string; job: string },
): Promise<Record<string, string[]>> {
  const logs = new CloudWatchLogsClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: TEST_KEYS,
    maxAttempts: 1,
  });
  const { logGroupName, job } = where;
  const { logStreams } = await logs.send(
    new DescribeLogStreamsCommand({ logGroupName, logStreamNamePrefix: `${job}/` }),
  );
  const byHost: Record<string, string[]> = {};
  for (const stream of logStreams!) {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName,
        logStreamName: stream.logStreamName!,
        startFromHead: true,
      }),
    );
    const host = stream.logStreamName!.split('/')[1]!.replace(/-\d+$/, '');
    byHost[host] = page.events!.map((e) => e.message!);
  }
  return byHost;
}
