import { Option, type Command } from 'commander';
import type { ClientOptions } from '../client.js';
import { DEFAULT_BUCKET, runTrain, type TrainFlags } from '../train/run-train.js';
import {
  collectChannel,
  collectHyperparameter,
  parseDataSource,
  parseJobName,
  parsePositiveInteger,
  parseS3Uri,
} from '../train/train-flags.js';
import { PLACEHOLDER_ROLE } from '../train/training-request.js';

/** Plinth's built-in algorithms, by the names their images carry (`plinth/<name>:1`). */
const BUILTIN_ALGORITHMS = [
  'kmeans',
  'linear-learner',
  'pca',
  'knn',
  'randomcutforest',
  'factorization-machines',
  'xgboost',
];

/** SageMaker's default StoppingCondition.MaxRuntimeInSeconds: one day. */
const DEFAULT_MAX_RUNTIME_SECONDS = 86_400;

const EXAMPLES = `
Give exactly one of --algorithm and --image. Local paths are uploaded first to
s3://<bucket>/<job>/input/<channel>/; s3:// URIs are used as they are. On a terminal a status
line (status | secondary status | elapsed | latest metric) stays under the job's log; elsewhere
each status change is a plain line among the log lines. The exit code is 0 when the job
Completed and 1 when it Failed or was Stopped.

Ctrl-C stops following, not the job: it keeps running on the server, and plinth prints how to
follow it again (plinth logs <job> --follow) or stop it (aws sagemaker stop-training-job).

Examples:
  plinth train --algorithm kmeans --train ./data.csv --content-type 'text/csv;label_size=0' \\
    --hyperparameters k=3 feature_dim=2
  plinth train --image 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3 \\
    --train s3://data/train --hyperparameters sagemaker_program=train.py \\
    sagemaker_submit_directory=s3://data/code/sourcedir.tar.gz --no-wait --json
`;

/** `plinth train`: upload local data, create a training job and follow it to its end. */
export function registerTrain(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('train')
    .description('train a model: upload local data, create a training job, follow it to its end')
    .addOption(
      new Option('--algorithm <name>', 'a built-in algorithm; its image is plinth/<name>:1')
        .choices(BUILTIN_ALGORITHMS)
        .conflicts('image'),
    )
    .option(
      '--image <uri>',
      'any training image instead: a SageMaker framework image or plinth/node for script mode',
    )
    .option(
      '--train <path-or-s3-uri>',
      'the train channel: an s3:// prefix, or a local file or folder to upload',
      parseDataSource,
    )
    .option('--validation <path-or-s3-uri>', 'the validation channel, likewise', parseDataSource)
    .option('--test <path-or-s3-uri>', 'the test channel, likewise', parseDataSource)
    .option('--channel <name=path-or-s3-uri...>', 'any other channels', collectChannel)
    .option('--content-type <type>', "every channel's ContentType, e.g. 'text/csv;label_size=0'")
    .option(
      '--hyperparameters <name=value...>',
      'the hyperparameters, passed as given',
      collectHyperparameter,
    )
    .option(
      '--output <s3-uri>',
      'where the model goes, as <output>/<job>/output/model.tar.gz (default s3://<bucket>/)',
      parseS3Uri,
    )
    .option('--bucket <name>', `the bucket for local data, created if missing`, DEFAULT_BUCKET)
    .option(
      '--name <job-name>',
      'the job name (default <algorithm-or-image>-<yyyy-mm-dd-hh-mm-ss-SSS>, in UTC)',
      parseJobName,
    )
    .option('--instance-type <type>', 'the instance type to record', 'ml.m5.large')
    .option('--instance-count <n>', 'how many hosts train', parsePositiveInteger, 1)
    .option(
      '--max-runtime <seconds>',
      'stop the job after this long',
      parsePositiveInteger,
      DEFAULT_MAX_RUNTIME_SECONDS,
    )
    .option(
      '--role <arn>',
      'the RoleArn to record; Plinth does not check roles, so the placeholder is enough',
      PLACEHOLDER_ROLE,
    )
    .option('--no-wait', 'return as soon as the job is created')
    .option(
      '--json',
      'print JSON on stdout (the job name and ARN with --no-wait, else its final description); progress goes to stderr',
    )
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'plinth train --help' for usage)")
    .action((flags: TrainFlags, command: Command) => runTrain(flags, clientOptions(), command));
}
