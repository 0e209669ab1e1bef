import { Command } from 'commander';
import type { ClientOptions } from './client.js';
import { registerDeploy } from './commands/deploy.js';
import { registerInvoke } from './commands/invoke.js';
import { registerLogs } from './commands/logs.js';
import { registerMetrics } from './commands/metrics.js';
import { registerResourceCommands } from './commands/resources.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { registerTransform } from './commands/transform.js';

/** The `plinth` command tree. */
export function createProgram(): Command {
  const program = new Command('plinth')
    .description('Plinth: a self-hosted machine-learning platform that speaks the SageMaker API')
    .option(
      '--endpoint-url <url>',
      'the Plinth server (env PLINTH_ENDPOINT_URL, default http://127.0.0.1:8766)',
    )
    .option('--region <region>', 'region to sign requests for (env AWS_REGION, default us-east-1)')
    .showHelpAfterError();
  const clientOptions = (): ClientOptions => program.opts<ClientOptions>();
  registerServe(program);
  registerResourceCommands(program, clientOptions);
  registerLogs(program, clientOptions);
  registerTrain(program, clientOptions);
  registerDeploy(program, clientOptions);
  registerInvoke(program, clientOptions);
  registerTransform(program, clientOptions);
  registerMetrics(program, clientOptions);
  return program;
}
