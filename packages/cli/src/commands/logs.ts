import type { Command } from 'commander';
import { connectLogs, connectSageMaker, type ClientOptions } from '../client.js';
import { followTrainingJob } from '../jobs/follow-job.js';
import { createLogTail, type JobLogLine } from '../jobs/log-tail.js';

/** `plinth logs <job> [--follow]`: a training job's log, through the CloudWatch Logs API. */
export function registerLogs(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('logs <job>')
    .description("print a training job's log (each host's lines prefixed when there are several)")
    .option('-f, --follow', 'keep printing new lines until the job ends, then print its status')
    .action(async (job: string, flags: { follow?: boolean }) => {
      const sm = await connectSageMaker(clientOptions());
      // ResourceNotFound for a job that does not exist, before anything else.
      await sm.client.send(new sm.sdk.DescribeTrainingJobCommand({ TrainingJobName: job }));
      const logs = await connectLogs(clientOptions());
      if (!flags.follow) {
        const tail = createLogTail(logs, job);
        printLines(await tail.readNew());
        if (!tail.started) process.stderr.write(`No log lines yet for ${job}.\n`);
        return;
      }
      const final = await followTrainingJob({
        sm,
        logs,
        job,
        onUpdate: (_job, lines) => printLines(lines),
      });
      const reason = final?.FailureReason ? `: ${final.FailureReason}` : '';
      process.stderr.write(`Training job ${job}: ${final?.TrainingJobStatus}${reason}\n`);
      if (final?.TrainingJobStatus === 'Failed') process.exitCode = 1;
    });
}

function printLines(lines: readonly JobLogLine[]): void {
  for (const line of lines) process.stdout.write(`${line.text}\n`);
}
