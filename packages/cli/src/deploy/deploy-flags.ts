// The parsers commander runs on `plinth deploy`'s flag values. Each throws commander's
// InvalidArgumentError, which commander prints naming the flag and the value.
import { InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import { isValidJobName } from '../train/job-name.js';
import { parseAssignment } from '../train/train-flags.js';

/** Where a model artifact is: an S3 object used as it is, or a local file to upload first. */
export type ModelDataSource = { readonly s3Uri: string } | { readonly localPath: string };

/** SageMaker's pattern for an environment variable's name in a container's Environment. */
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;
/** SageMaker's limit on an Environment value. */
const MAX_ENV_VALUE_LENGTH = 1024;

/** An `s3://bucket/key` URI of one object, or the path of an existing local file. */
export function parseModelData(text: string): ModelDataSource {
  if (/^s3:\/\//.test(text)) {
    if (!/^s3:\/\/[^/]+\/.*[^/]$/.test(text))
      throw new InvalidArgumentError(
        'Expected the s3:// URI of one object, like s3://my-bucket/job/output/model.tar.gz.',
      );
    return { s3Uri: text };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new InvalidArgumentError('Only s3:// URIs and local files can be used.');
  const info = statSync(text, { throwIfNoEntry: false });
  if (!info)
    throw new InvalidArgumentError(`'${text}' is neither an s3:// URI nor an existing file.`);
  if (!info.isFile())
    throw new InvalidArgumentError(
      `'${text}' is a folder; pack it first (tar -czf model.tar.gz -C ${text} .) and give the model.tar.gz.`,
    );
  return { localPath: text };
}

/** Adds one `--env KEY=VALUE` to those before it; a name given twice is an error. */
export function collectEnv(
  text: string,
  previous: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const { name, value } = parseAssignment(text, 'KEY=VALUE, like LOG_LEVEL=debug');
  if (!ENV_NAME.test(name))
    throw new InvalidArgumentError(
      `The variable name '${name}' may use only letters, digits and '_', and not start with a digit.`,
    );
  if (value.length > MAX_ENV_VALUE_LENGTH)
    throw new InvalidArgumentError(
      `The value of ${name} is ${value.length} characters; SageMaker allows ${MAX_ENV_VALUE_LENGTH}.`,
    );
  if (previous && Object.hasOwn(previous, name))
    throw new InvalidArgumentError(`The variable '${name}' is given twice.`);
  return { ...previous, [name]: value };
}

/** A name SageMaker accepts for a model, endpoint configuration and endpoint alike. */
export function parseEndpointName(text: string): string {
  if (!isValidJobName(text))
    throw new InvalidArgumentError(
      'A name is 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.',
    );
  return text;
}

/** A production variant's name, by the same rule as an endpoint's. */
export function parseVariantName(text: string): string {
  if (!isValidJobName(text))
    throw new InvalidArgumentError(
      'A variant name is 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.',
    );
  return text;
}
