import { formatCsvRow, parseCsvRow, toCsvField } from './csv-row.js';
import { isRootPath, parseJsonPath, selectJsonPath, type JsonPath } from './json-path.js';

/**
 * DataProcessing as batch transform applies it to each record: InputFilter picks what the model
 * gets, JoinSource Input joins the model's answer to the input record (a `SageMakerOutput` field
 * for JSON, columns appended for CSV), and OutputFilter picks what is written. CSV records are
 * JSON arrays of their fields for the filters, as SageMaker documents.
 */

/** How a record's bytes are read: CSV rows, JSON values (one per record), or opaque bytes. */
export type RecordFormat = 'csv' | 'json' | 'jsonlines' | 'raw';

/** The key a JSON input gets for the model's answer, and the key a non-object input moves to. */
export const OUTPUT_KEY = 'SageMakerOutput';
export const INPUT_KEY = 'SageMakerInput';

/** DataProcessing with its paths parsed and its defaults filled. */
export interface DataProcessingPlan {
  readonly inputFilter: JsonPath;
  readonly outputFilter: JsonPath;
  readonly join: boolean;
}

/** The format a content type names; undefined for one the filters cannot read. */
export function recordFormat(contentType: string | undefined): RecordFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  if (type === 'application/jsonlines' || type === 'application/x-jsonlines') return 'jsonlines';
  return undefined;
}

/** The plan for a job's DataProcessing; throws JsonPathError for a path it cannot parse. */
export function planDataProcessing(
  dataProcessing:
    { InputFilter?: string; OutputFilter?: string; JoinSource?: 'Input' | 'None' } | undefined,
): DataProcessingPlan {
  return {
    inputFilter: parseJsonPath(dataProcessing?.InputFilter ?? '$'),
    outputFilter: parseJsonPath(dataProcessing?.OutputFilter ?? '$'),
    join: dataProcessing?.JoinSource === 'Input',
  };
}

/** True when each record's answer must be handled on its own (joined or filtered). */
export function handlesEachAnswer(plan: DataProcessingPlan): boolean {
  return plan.join || !isRootPath(plan.outputFilter);
}

/** The part of an input record the model is sent (InputFilter), written in the input's format. */
export function filterInput(
  plan: DataProcessingPlan,
  format: RecordFormat,
  record: Buffer,
): Buffer {
  if (isRootPath(plan.inputFilter)) return record;
  const selected = selectJsonPath(plan.inputFilter, readRecord(format, record));
  return writeRecord(format, selected);
}

/**
 * One record's output line: its answer, joined to its input record when JoinSource is Input,
 * then cut down by OutputFilter. A joined record is written in the input's format, an answer
 * alone in its own.
 */
export function shapeOutput(
  plan: DataProcessingPlan,
  record: { input: Buffer; inputFormat: RecordFormat; answer: Buffer; answerFormat: RecordFormat },
): Buffer {
  const answer = readRecord(record.answerFormat, record.answer);
  if (!plan.join) {
    return writeRecord(record.answerFormat, selectJsonPath(plan.outputFilter, answer));
  }
  const input = readRecord(record.inputFormat, record.input);
  let joined: unknown;
  if (record.inputFormat === 'csv') {
    joined = [
      ...(input as string[]),
      ...(Array.isArray(answer) ? (answer as unknown[]) : [answer]),
    ];
  } else if (isPlainObject(input)) {
    joined = { ...input, [OUTPUT_KEY]: answer };
  } else {
    joined = { [INPUT_KEY]: input, [OUTPUT_KEY]: answer };
  }
  return writeRecord(record.inputFormat, selectJsonPath(plan.outputFilter, joined));
}

/**
 * A multi-record answer cut into one answer per record: by line for CSV and JSON Lines; for
 * JSON, the elements of an array, or of an object's only array (`{"predictions": [...]}`).
 * Returns a sentence saying why when the answer does not hold `count` records.
 */
export function splitAnswer(format: RecordFormat, body: Buffer, count: number): Buffer[] | string {
  if (count === 1) return [trimLineBreak(body)];
  if (format === 'csv' || format === 'jsonlines') {
    const lines = body
      .toString('utf8')
      .split('\n')
      .map((line) => line.replace(/\r$/, ''));
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === count) return lines.map((line) => Buffer.from(line));
    return `the model answered ${lines.length} lines for ${count} records`;
  }
  if (format === 'json') {
    const items = jsonItems(body);
    if (items?.length === count) return items.map((item) => Buffer.from(JSON.stringify(item)));
    return `the model's JSON answer does not hold one item per record (${count} records sent)`;
  }
  return `the model's answer (${format}) cannot be split into records`;
}

function jsonItems(body: Buffer): unknown[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (Array.isArray(value)) return value as unknown[];
  if (isPlainObject(value)) {
    const values = Object.values(value);
    if (values.length === 1 && Array.isArray(values[0])) return values[0] as unknown[];
  }
  return undefined;
}

/** A record's value: its fields (CSV), its parsed JSON, or its text. */
function readRecord(format: RecordFormat, bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  switch (format) {
    case 'csv':
      return parseCsvRow(text);
    case 'json':
    case 'jsonlines':
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new SyntaxError(`the record is not valid JSON (${(error as Error).message})`);
      }
    case 'raw':
      return trimLineBreak(bytes).toString('utf8');
  }
}

function writeRecord(format: RecordFormat, value: unknown): Buffer {
  switch (format) {
    case 'csv':
      return Buffer.from(
        formatCsvRow(Array.isArray(value) ? value.map(toCsvField) : [toCsvField(value)]),
      );
    case 'json':
    case 'jsonlines':
      return Buffer.from(JSON.stringify(value));
    case 'raw':
      return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  }
}

function trimLineBreak(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (bytes[end - 1] === 10) end -= 1;
  if (bytes[end - 1] === 13) end -= 1;
  return bytes.subarray(0, end);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
