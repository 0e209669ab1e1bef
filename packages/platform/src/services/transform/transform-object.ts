import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { formatS3Uri, type S3Location } from '../../artifacts/s3-uri.js';
import {
  filterInput,
  handlesEachAnswer,
  recordFormat,
  shapeOutput,
  splitAnswer,
  type DataProcessingPlan,
  type RecordFormat,
} from './data-processing.js';
import { isRootPath } from './json-path.js';
import type { ModelAnswer } from './model-calls.js';
import { assemblePieces, type AssembleWith } from './output-assembly.js';
import {
  RecordBatcher,
  RecordTooLargeError,
  type BatchRecord,
  type BatchingRules,
  type RecordBatch,
} from './record-batches.js';
import { createRecordSplitter, positionLabel, type SplitType } from './record-split.js';

/** The most of a model's error answer a FailureReason quotes. */
const MAX_QUOTED_ANSWER = 300;

/** How a job reads, sends and writes each of its input objects. */
export interface ObjectTransformRules {
  readonly split: SplitType;
  readonly compression: 'None' | 'Gzip';
  readonly batching: BatchingRules;
  /** Requests in flight at once (MaxConcurrentTransforms). */
  readonly concurrency: number;
  readonly assembleWith: AssembleWith;
  readonly plan: DataProcessingPlan;
  /** The format of input records, from TransformInput.ContentType (for DataProcessing). */
  readonly inputFormat: RecordFormat;
  /** TransformOutput.Accept: how answers are read when the model names no type, and the output's type. */
  readonly accept?: string;
}

/** One input object to transform on an instance. */
export interface ObjectTransform {
  readonly store: ObjectStore;
  readonly source: S3Location;
  readonly output: S3Location;
  readonly rules: ObjectTransformRules;
  /** Sends one request body to the instance's model server. */
  readonly call: (body: Buffer) => Promise<ModelAnswer>;
  /** Where the output is put together before it is uploaded whole. */
  readonly scratchFile: string;
  /** Aborted when the job is stopped: no more requests are sent. */
  readonly signal: AbortSignal;
}

/** Why a record could not be transformed: its position in the object, and what happened. */
class RecordFailure extends Error {
  constructor(
    readonly position: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Transforms one input object: reads it (gunzipped for Gzip), splits it into records, applies
 * InputFilter, batches the records into requests with up to `concurrency` in flight, shapes each
 * answer (JoinSource, OutputFilter, AssembleWith) and writes them in input order to a scratch
 * file, then uploads it whole as the output object. Returns the number of records. Throws an
 * Error naming the object and the line or record that failed, with the model's status and words.
 */
export async function transformObject(job: ObjectTransform): Promise<{ records: number }> {
  const uri = formatS3Uri(job.source);
  try {
    const records = await writeOutput(job);
    const { size } = await stat(job.scratchFile);
    await job.store.putObject({
      bucket: job.output.bucket,
      key: job.output.key,
      body: createReadStream(job.scratchFile),
      contentLength: size,
      ...(job.rules.accept ? { contentType: job.rules.accept } : {}),
    });
    return { records };
  } catch (error) {
    if (error instanceof RecordFailure) {
      const where =
        error.position === undefined ? '' : positionLabel(job.rules.split, error.position);
      throw new Error(`${uri}${where ? `, ${where}` : ''}: ${error.message}`, { cause: error });
    }
    throw new Error(`${uri}: ${(error as Error).message}`, { cause: error });
  } finally {
    await rm(job.scratchFile, { force: true });
  }
}

async function writeOutput(job: ObjectTransform): Promise<number> {
  const { rules, signal } = job;
  const splitter = createRecordSplitter(rules.split);
  const batcher = new RecordBatcher(rules.batching);
  const out = await open(job.scratchFile, 'w');
  const inFlight: Promise<Buffer>[] = [];
  let records = 0;
  const send = async (batches: readonly RecordBatch[]): Promise<void> => {
    for (const batch of batches) {
      if (signal.aborted) throw new Error('the job was stopped');
      const result = answerBatch(job, batch);
      result.catch(() => undefined);
      inFlight.push(result);
      if (inFlight.length >= rules.concurrency) await out.write(await inFlight.shift()!);
    }
  };
  const take = async (batchRecords: readonly { data: Buffer; position: number }[]) => {
    for (const record of batchRecords) {
      records += 1;
      await send(addRecord(batcher, prepareRecord(rules, record)));
    }
  };
  try {
    for await (const chunk of readObject(job)) {
      await take(splitter.push(chunk));
    }
    await take(splitter.end());
    await send(batcher.flush());
    while (inFlight.length > 0) await out.write(await inFlight.shift()!);
  } finally {
    await out.close();
  }
  return records;
}

/** The object's bytes, gunzipped when the input is Gzip-compressed. */
async function* readObject(job: ObjectTransform): AsyncGenerator<Buffer> {
  const content = await job.store.getObject(job.source.bucket, job.source.key);
  let body: Readable = content.body;
  if (job.rules.compression === 'Gzip') {
    const gunzip = createGunzip();
    content.body.on('error', (error) => gunzip.destroy(error));
    body = content.body.pipe(gunzip);
  }
  try {
    for await (const chunk of body) yield chunk as Buffer;
  } catch (error) {
    if (job.rules.compression === 'Gzip' && (error as { code?: string }).code?.startsWith('Z_')) {
      throw new Error(
        `it is not gzip data, but CompressionType is Gzip (${(error as Error).message})`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    content.body.destroy();
  }
}

function prepareRecord(
  rules: ObjectTransformRules,
  record: { data: Buffer; position: number },
): BatchRecord {
  if (isRootPath(rules.plan.inputFilter)) return { ...record, original: record.data };
  try {
    const data = filterInput(rules.plan, rules.inputFormat, record.data);
    return { data, position: record.position, original: record.data };
  } catch (error) {
    throw new RecordFailure(record.position, `InputFilter: ${(error as Error).message}`);
  }
}

function addRecord(batcher: RecordBatcher, record: BatchRecord): RecordBatch[] {
  try {
    return batcher.add(record);
  } catch (error) {
    if (error instanceof RecordTooLargeError)
      throw new RecordFailure(error.position, error.message);
    throw error;
  }
}

/** The output bytes of one batch, in record order. */
async function answerBatch(job: ObjectTransform, batch: RecordBatch): Promise<Buffer> {
  const { rules } = job;
  const answer = await job.call(batch.payload);
  if (answer.status < 200 || answer.status >= 300) await blameRecord(job, batch, answer);
  if (!handlesEachAnswer(rules.plan)) return assemblePieces([answer.body], rules.assembleWith);
  const answerFormat =
    recordFormat(answer.contentType) ?? recordFormat(rules.accept) ?? ('raw' as const);
  const answers = splitAnswer(answerFormat, answer.body, batch.records.length);
  if (typeof answers === 'string') {
    throw new RecordFailure(
      batch.records[0]?.position,
      `${answers}; JoinSource and OutputFilter need an answer per record (send SingleRecord batches, or ask for Accept text/csv or application/jsonlines)`,
    );
  }
  const pieces = batch.records.map((record, index) => {
    try {
      return shapeOutput(rules.plan, {
        input: record.original,
        inputFormat: rules.inputFormat,
        answer: answers[index]!,
        answerFormat,
      });
    } catch (error) {
      throw new RecordFailure(
        record.position,
        `joining or filtering the output: ${(error as Error).message}`,
      );
    }
  });
  return assemblePieces(pieces, rules.assembleWith);
}

/**
 * Throws the failure of a batch the model refused, naming the record: for several records each
 * is sent alone until one is refused, so the message points at the line to fix.
 */
async function blameRecord(
  job: ObjectTransform,
  batch: RecordBatch,
  answer: ModelAnswer,
): Promise<never> {
  const first = batch.records[0]?.position;
  if (batch.records.length > 1) {
    const terminator = job.rules.batching.terminator;
    for (const record of batch.records) {
      const alone = await job.call(Buffer.concat([record.data, terminator]));
      if (alone.status < 200 || alone.status >= 300) {
        throw new RecordFailure(record.position, modelRefusal(alone));
      }
    }
    const last = batch.records.at(-1)?.position;
    throw new RecordFailure(
      first,
      `${modelRefusal(answer)} (the batch up to ${positionLabel(job.rules.split, last ?? 0)} failed, though each of its records alone succeeded)`,
    );
  }
  throw new RecordFailure(first, modelRefusal(answer));
}

function modelRefusal(answer: ModelAnswer): string {
  const text = answer.body.toString('utf8').trim();
  const quoted = text.length > MAX_QUOTED_ANSWER ? `${text.slice(0, MAX_QUOTED_ANSWER)}…` : text;
  return `the model answered ${answer.status}${quoted ? `: ${quoted}` : ''}`;
}
