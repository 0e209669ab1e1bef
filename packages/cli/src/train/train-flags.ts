// The parsers commander runs on `plinth train`'s flag values. Each throws commander's
// InvalidArgumentError, which commander prints naming the flag and the value.
import { InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import { isValidJobName } from './job-name.js';

/** Where a channel's data comes from: an S3 prefix used as it is, or a local file or folder to upload. */
export type DataSource = { readonly s3Uri: string } | { readonly localPath: string };

/** SageMaker's pattern for a channel's name. */
const CHANNEL_NAME = /^[A-Za-z0-9.\-_]{1,64}$/;

/** `name=value` split at its first `=`; the name must not be empty. */
export function parseAssignment(text: string, form: string): { name: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`Expected ${form}.`);
  return { name: text.slice(0, at), value: text.slice(at + 1) };
}

/** Adds one `--hyperparameters name=value` entry to those before it; a name given twice is an error. */
export function collectHyperparameter(
  text: string,
  previous: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const { name, value } = parseAssignment(text, 'name=value, like k=3');
  if (previous && Object.hasOwn(previous, name))
    throw new InvalidArgumentError(`The hyperparameter '${name}' is given twice.`);
  return { ...previous, [name]: value };
}

/** An `s3://bucket/prefix` URI, or the path of an existing local file or folder. */
export function parseDataSource(text: string): DataSource {
  if (/^s3:\/\/[^/]+/.test(text)) return { s3Uri: text };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new InvalidArgumentError('Only s3:// URIs and local paths can be used.');
  if (!statSync(text, { throwIfNoEntry: false }))
    throw new InvalidArgumentError(
      `'${text}' is neither an s3:// URI nor an existing file or folder.`,
    );
  return { localPath: text };
}

/** Adds one `--channel name=source` to those before it. */
export function collectChannel(
  text: string,
  previous: Readonly<Record<string, DataSource>> | undefined,
): Record<string, DataSource> {
  const { name, value } = parseAssignment(text, 'name=s3-uri-or-path, like validation=s3://b/p');
  if (!CHANNEL_NAME.test(name))
    throw new InvalidArgumentError(
      `The channel name '${name}' may use only letters, digits, '.', '-' and '_' (at most 64).`,
    );
  if (previous && Object.hasOwn(previous, name))
    throw new InvalidArgumentError(`The channel '${name}' is given twice.`);
  return { ...previous, [name]: parseDataSource(value) };
}

/** A whole number of at least 1. */
export function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError('Expected a whole number of at least 1.');
  return value;
}

/** A training job name SageMaker accepts. */
export function parseJobName(text: string): string {
  if (!isValidJobName(text))
    throw new InvalidArgumentError(
      'A job name is 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.',
    );
  return text;
}

/** An `s3://bucket[/prefix]` URI. */
export function parseS3Uri(text: string): string {
  if (!/^s3:\/\/[^/]+/.test(text))
    throw new InvalidArgumentError('Expected an s3:// URI, like s3://my-bucket/output.');
  return text;
}
