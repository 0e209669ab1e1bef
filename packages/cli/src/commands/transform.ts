import { Option, type Command } from 'commander';
import type { ClientOptions } from '../client.js';
import { DEFAULT_BUCKET } from '../train/run-train.js';
import {
  parseDataSource,
  parseJobName,
  parsePositiveInteger,
  parseS3Uri,
} from '../train/train-flags.js';
import { runTransform, type TransformFlags } from '../transform/run-transform.js';

const EXAMPLES = `
A local --input file or folder is uploaded first to s3://<bucket>/<job>/input/data/; an s3://
prefix is used as it is. Each input object's output is <output>/<its path below the input
prefix>.out, written whole once the object is done (default output: s3://<bucket>/<job>/output/).
On a terminal a progress bar counts the output objects written; elsewhere each one written is a
plain line. The exit code is 0 when the job Completed and 1 when it Failed (the reason names the
object and line) or was Stopped. Ctrl-C stops following, not the job.

Examples:
  plinth transform --model my-kmeans --input ./rows.csv --accept text/csv
  plinth transform --model my-kmeans --input s3://data/batch --output s3://data/scored \\
    --instance-count 2 --join-source Input --input-filter '$[1:]' --output-filter '$[0,-1]'
`;

/** `plinth transform`: a batch transform job over local or S3 data, followed to its end. */
export function registerTransform(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('transform')
    .description(
      'run a batch transform: send every record of the input through a model, write <object>.out files',
    )
    .requiredOption('--model <name>', 'the model (CreateModel) to transform with')
    .requiredOption(
      '--input <path-or-s3-uri>',
      'an s3:// prefix, or a local file or folder to upload',
      parseDataSource,
    )
    .option('--output <s3-uri>', 'where the .out objects go (S3OutputPath)', parseS3Uri)
    .option('--content-type <type>', 'the records ContentType, sent to the model', 'text/csv')
    .addOption(
      new Option('--split-type <type>', 'how objects are cut into records')
        .choices(['None', 'Line', 'RecordIO', 'TFRecord'])
        .default('Line'),
    )
    .addOption(
      new Option('--compression <type>', 'how the input objects are compressed')
        .choices(['None', 'Gzip'])
        .default('None'),
    )
    .addOption(
      new Option('--strategy <strategy>', 'records per request (BatchStrategy)')
        .choices(['SingleRecord', 'MultiRecord'])
        .default('MultiRecord'),
    )
    .option('--accept <type>', 'the type the model answers in (TransformOutput.Accept)')
    .addOption(
      new Option('--assemble-with <how>', 'how answers are put together in an output object')
        .choices(['None', 'Line'])
        .default('Line'),
    )
    .addOption(
      new Option('--join-source <source>', 'Input: join each answer to its input record').choices([
        'Input',
        'None',
      ]),
    )
    .option('--input-filter <jsonpath>', 'the part of each record the model gets, e.g. $[1:]')
    .option('--output-filter <jsonpath>', 'the part of each output written, e.g. $[0,-1]')
    .option('--max-payload <mb>', 'MaxPayloadInMB (default 6)', parsePositiveInteger)
    .option('--max-concurrent <n>', 'requests in flight per instance', parsePositiveInteger)
    .option('--instance-type <type>', 'the instance type to record', 'ml.m5.large')
    .option(
      '--instance-count <n>',
      'how many model servers share the input',
      parsePositiveInteger,
      1,
    )
    .option('--bucket <name>', 'the bucket for local input and the default output', DEFAULT_BUCKET)
    .option(
      '--name <job-name>',
      'the job name (default <model>-<yyyy-mm-dd-hh-mm-ss-SSS>, in UTC)',
      parseJobName,
    )
    .option('--no-wait', 'return as soon as the job is created')
    .option('--json', 'print JSON on stdout (the final description); progress goes to stderr')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'plinth transform --help' for usage)")
    .action((flags: TransformFlags) => runTransform(flags, clientOptions()));
}
