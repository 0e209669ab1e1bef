import { Option, type Command } from 'commander';
import type { ClientOptions } from '../client.js';
import {
  collectEnv,
  parseEndpointName,
  parseModelData,
  parseVariantName,
} from '../deploy/deploy-flags.js';
import { runDeploy, type DeployFlags } from '../deploy/run-deploy.js';
import { DEFAULT_BUCKET } from '../train/run-train.js';
import { parsePositiveInteger } from '../train/train-flags.js';
import { PLACEHOLDER_ROLE } from '../train/training-request.js';

const EXAMPLES = `
Give exactly one of --training-job and --model-data. A training job must have Completed; its
image (AlgorithmSpecification.TrainingImage) serves its model (ModelArtifacts.S3ModelArtifacts)
unless --image names another, and a script-mode job's sagemaker_program and
sagemaker_submit_directory pass on as SAGEMAKER_PROGRAM and SAGEMAKER_SUBMIT_DIRECTORY. A local
--model-data file is uploaded first to s3://<bucket>/<name>/model/.

The model, endpoint configuration and endpoint all get the one name; if one of them fails to be
created, those made before it are deleted again. On a terminal a status line (status | elapsed)
shows while the endpoint starts; elsewhere each status change is a plain line. The exit code is
0 once the endpoint is InService and 1 when it Failed. Ctrl-C stops following, not the endpoint.

Examples:
  plinth deploy --training-job kmeans-2024-05-01-12-34-56-789
  plinth deploy --model-data ./model.tar.gz --image kmeans --name my-clusters
  plinth deploy --model-data s3://models/model.tar.gz --image plinth/onnx --env OMP_NUM_THREADS=2 \\
    --instance-count 2 --no-wait --json
`;

/** `plinth deploy`: a model, endpoint configuration and endpoint in one step, followed to InService. */
export function registerDeploy(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('deploy')
    .description(
      'host a model behind an endpoint: create its model, endpoint configuration and endpoint, follow it to InService',
    )
    .addOption(
      new Option(
        '--training-job <name>',
        'deploy the model this Completed training job made',
      ).conflicts('modelData'),
    )
    .option(
      '--model-data <s3-uri-or-file>',
      'deploy this model.tar.gz instead: an s3:// URI, or a local file to upload',
      parseModelData,
    )
    .option(
      '--image <image>',
      'the image that serves the model (kmeans, linear-learner, plinth/onnx, a framework image); needed with --model-data',
    )
    .option(
      '--env <KEY=VALUE>',
      "a variable of the model server's environment (repeatable)",
      collectEnv,
    )
    .option(
      '--name <name>',
      'the name of the model, endpoint configuration and endpoint (default <job-or-image>-<yyyy-mm-dd-hh-mm-ss-SSS>, in UTC)',
      parseEndpointName,
    )
    .option('--instance-type <type>', 'the instance type of the variant', 'ml.m5.large')
    .option(
      '--instance-count <n>',
      'how many model servers the variant runs',
      parsePositiveInteger,
      1,
    )
    .option('--variant <name>', 'the production variant name', parseVariantName, 'AllTraffic')
    .option(
      '--bucket <name>',
      'the bucket a local --model-data goes to, created if missing',
      DEFAULT_BUCKET,
    )
    .option(
      '--role <arn>',
      'the ExecutionRoleArn to record; Plinth does not check roles, so the placeholder is enough',
      PLACEHOLDER_ROLE,
    )
    .option('--no-wait', 'return as soon as the endpoint is created')
    .option(
      '--json',
      'print JSON on stdout (the name and ARNs with --no-wait, else the final DescribeEndpoint); progress goes to stderr',
    )
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'plinth deploy --help' for usage)")
    .action((flags: DeployFlags, command: Command) => runDeploy(flags, clientOptions(), command));
}
