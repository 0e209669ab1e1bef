import { parseContentType, unsupportedContentType } from './content-type.js';
import { DataFormatError } from './errors.js';
import { readRecordIO } from './recordio.js';
import type { SparseBatch } from './sparse-batch.js';
import { SparseBatchBuilder } from './sparse-batch-builder.js';
import { SparseRecordDecoder, TensorScratch } from './sparse-record-decode.js';

/** Request content types {@link parseSparseRequest} reads (SageMaker's FM takes no CSV). */
export const SPARSE_REQUEST_TYPES = [
  'application/json',
  'application/jsonlines',
  'application/x-recordio-protobuf',
] as const;

const EXPECTED =
  'expected {"features": [numbers]} or {"data": {"features": {"values": [numbers]}}}, with "keys" and "shape" when sparse';

/**
 * An inference request body as CSR rows of `featureDim` columns, without expanding sparse
 * instances: JSON `{"instances": [...]}` (or one instance), JSON Lines (one instance a line) or
 * RecordIO-protobuf records, each instance dense or sparse as SageMaker's common inference
 * formats write them. A mistake is a DataFormatError naming the instance and the rule.
 */
export async function parseSparseRequest(
  body: Buffer,
  request: { contentType: string; featureDim: number },
): Promise<SparseBatch> {
  const { featureDim } = request;
  const builder = new SparseBatchBuilder({
    batchSize: 64,
    featureDim,
    expected: `this model has feature_dim=${featureDim}`,
    labelSize: 0,
  });
  switch (parseContentType(request.contentType).mediaType) {
    case 'application/json': {
      const parsed = parseJson(body.toString('utf8'), 'The request body');
      if (isObject(parsed) && 'instances' in parsed) {
        if (!Array.isArray(parsed.instances))
          throw new DataFormatError('"instances" must be an array of objects.');
        parsed.instances.forEach((instance: unknown, i) =>
          addInstance(builder, { instance, where: `instances[${i}]` }),
        );
      } else addInstance(builder, { instance: parsed, where: 'The request body' });
      break;
    }
    case 'application/jsonlines': {
      let line = 0;
      for (const text of body.toString('utf8').split('\n')) {
        line++;
        if (text.trim() === '') continue;
        const where = `Line ${line}`;
        addInstance(builder, { instance: parseJson(text, where), where });
      }
      break;
    }
    case 'application/x-recordio-protobuf': {
      const decoder = new SparseRecordDecoder();
      let index = 0;
      for await (const payload of readRecordIO(body, { source: 'The request body' })) {
        index++;
        try {
          decoder.decode(payload);
          builder.add(decoder);
        } catch (error) {
          if (error instanceof DataFormatError)
            throw new DataFormatError(`Record ${index} ${error.message}`);
          throw error;
        }
      }
      break;
    }
    default:
      throw unsupportedContentType(request.contentType, SPARSE_REQUEST_TYPES);
  }
  return builder.take();
}

const scratch = new TensorScratch();
const record = { features: scratch, hasLabel: false, label: NaN };

function addInstance(builder: SparseBatchBuilder, at: { instance: unknown; where: string }): void {
  const { instance, where } = at;
  scratch.reset();
  if (isObject(instance) && Array.isArray(instance.features))
    numbers(instance.features, { where: `${where}.features`, push: (v) => scratch.pushValue(v) });
  else if (isObject(instance) && isObject(instance.data) && isObject(instance.data.features))
    tensor(instance.data.features, `${where}.data.features`);
  else throw new DataFormatError(`${where}: ${EXPECTED}.`);
  try {
    builder.add(record);
  } catch (error) {
    if (error instanceof DataFormatError) throw new DataFormatError(`${where} ${error.message}`);
    throw error;
  }
}

function tensor(t: Record<string, unknown>, where: string): void {
  if (!Array.isArray(t.values))
    throw new DataFormatError(`${where}.values must be an array of numbers.`);
  numbers(t.values, { where: `${where}.values`, push: (v) => scratch.pushValue(v) });
  if (t.keys === undefined && t.shape === undefined) return;
  if (!Array.isArray(t.keys) || !Array.isArray(t.shape) || t.shape.length !== 1)
    throw new DataFormatError(
      `${where}: a sparse instance needs "keys" (an array) and "shape": [feature_dim].`,
    );
  const keys: unknown[] = t.keys;
  const shape: unknown = t.shape[0];
  if (typeof shape !== 'number' || !Number.isInteger(shape) || shape < 0)
    throw new DataFormatError(`${where}.shape[0] must be a non-negative integer.`);
  scratch.hasKeys = true;
  scratch.hasShape = true;
  scratch.shapeSize = shape;
  keys.forEach((key, i) => {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0)
      throw new DataFormatError(`${where}.keys[${i}] must be a non-negative integer.`);
    scratch.pushKey(key);
  });
}

function numbers(list: unknown[], to: { where: string; push: (value: number) => void }): void {
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (typeof value !== 'number')
      throw new DataFormatError(
        `${to.where}[${i}] must be a number, got ${JSON.stringify(value)}.`,
      );
    to.push(value);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataFormatError(`${where} is not valid JSON: ${(error as Error).message}.`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
