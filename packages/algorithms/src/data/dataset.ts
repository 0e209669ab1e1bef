import { stat } from 'node:fs/promises';
import type { FeatureBatch } from './batch.js';
import { listChannelFiles, openChannelFile } from './channel-files.js';
import {
  LIBSVM_CONTENT_TYPES,
  TRAINING_CONTENT_TYPES,
  csvLabelColumns,
  parseContentType,
  unsupportedContentType,
} from './content-type.js';
import { readCsvBatches } from './csv.js';
import { DataFormatError } from './errors.js';
import { readLibsvmBatches, scanLibsvmFeatureDim } from './libsvm.js';
import { readRecordBatches } from './record-batches.js';

/** Options for {@link readDataset}. */
export interface ReadDatasetOptions {
  /** A channel directory (all files under it) or a single file. */
  path?: string;
  /** Explicit files, read in the given order; used instead of `path`. */
  files?: readonly string[];
  /** The channel's ContentType, e.g. `text/csv;label_size=0`; defaults to text/csv like SageMaker's built-ins. */
  contentType?: string;
  /**
   * The algorithm's label expectation: for CSV the number of label columns unless the content
   * type's `label_size` says otherwise (default 1); for RecordIO, 1 requires a label on every
   * record and 0 ignores labels.
   */
  labelSize?: 0 | 1;
  batchSize?: number;
  /**
   * Expected feature count; otherwise taken from the first row and enforced across files (for
   * LIBSVM: the largest index + 1 across the files, found in a first pass).
   */
  featureDim?: number;
  /**
   * The media types the algorithm reads; default {@link TRAINING_CONTENT_TYPES}. Add
   * {@link LIBSVM_CONTENT_TYPES} to read LIBSVM (batches then carry `weights`/`qids` when the
   * data has them, and absent entries are NaN).
   */
  contentTypes?: readonly string[];
  /** CSV only: read empty feature fields as NaN (missing values) instead of failing. */
  emptyAsMissing?: boolean;
}

/**
 * Reads a training channel as Float32Array batches, choosing the reader from its content
 * type, decompressing gzip files and checking that every file has the same feature count.
 */
export async function* readDataset(options: ReadDatasetOptions): AsyncGenerator<FeatureBatch> {
  const contentType = parseContentType(options.contentType ?? 'text/csv');
  const format = contentType.mediaType;
  const accepted = options.contentTypes ?? TRAINING_CONTENT_TYPES;
  const libsvm = (LIBSVM_CONTENT_TYPES as readonly string[]).includes(format);
  const readable = libsvm || format === 'text/csv' || format === 'application/x-recordio-protobuf';
  if (!readable || !accepted.includes(format))
    throw unsupportedContentType(options.contentType ?? '', accepted);
  const files = options.files ?? (await filesAt(options.path));
  let featureDim = options.featureDim;
  if (libsvm) featureDim ??= await libsvmFeatureDim(files);
  for (const file of files) {
    const stream = await openChannelFile(file);
    const common = { batchSize: options.batchSize, featureDim, source: file };
    const batches = libsvm
      ? readLibsvmBatches(stream, { ...common, featureDim: featureDim! })
      : format === 'text/csv'
        ? readCsvBatches(stream, {
            ...common,
            labelColumns: csvLabelColumns(contentType, options.labelSize ?? 1),
            emptyAsMissing: options.emptyAsMissing === true,
          })
        : readRecordBatches(stream, { ...common, labelSize: options.labelSize });
    try {
      for await (const batch of batches) {
        featureDim ??= batch.dim;
        yield batch;
      }
    } catch (error) {
      throw explainStreamError(error, file);
    } finally {
      stream.destroy();
    }
  }
}

async function filesAt(path: string | undefined): Promise<string[]> {
  if (path === undefined) throw new TypeError('readDataset needs a path or files');
  if (!(await stat(path)).isDirectory()) return [path];
  const files = await listChannelFiles(path);
  if (files.length === 0)
    throw new DataFormatError(
      `The data channel at ${path} contains no files; check the channel's S3 URI.`,
    );
  return files;
}

/** LIBSVM rows do not say their width: it is the largest index + 1 over the whole channel. */
async function libsvmFeatureDim(files: readonly string[]): Promise<number> {
  let dim = 0;
  for (const file of files) {
    const stream = await openChannelFile(file);
    try {
      dim = Math.max(dim, await scanLibsvmFeatureDim(stream, file));
    } catch (error) {
      throw explainStreamError(error, file);
    } finally {
      stream.destroy();
    }
  }
  if (dim === 0)
    throw new DataFormatError(
      `The LIBSVM data (${files.join(', ')}) has no index:value entries, so no features.`,
    );
  return dim;
}

/** zlib errors do not say which file was corrupt; users need that to fix their upload. */
function explainStreamError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_'))
    return new DataFormatError(
      `${file}: the file looks gzip-compressed but cannot be decompressed (${(error as Error).message}).`,
    );
  return error;
}
