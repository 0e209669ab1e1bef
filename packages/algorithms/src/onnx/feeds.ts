import ort from 'onnxruntime-node';
import type { Tensor } from 'onnxruntime-node';
import type { Invocation } from '../common/invocation-server.js';
import { InvocationError } from '../common/invocation.js';
import { parseContentType, parseInferenceRows } from '../data/index.js';
import { toFeedData } from './element-types.js';
import { fitShape } from './input-shape.js';
import { type FlatArray, flattenNested } from './nested.js';
import type { OnnxInput } from './onnx-model.js';

/** The request media types the ONNX server reads. */
export const ONNX_CONTENT_TYPES = ['text/csv', 'application/json'] as const;

const JSON_FORMS =
  'send a JSON array of rows, {"instances": [rows]}, or {"inputs": {"<input name>": nested array, ...}}';

/**
 * The model's inputs from a request: CSV rows (numbers, no label column unless
 * `label_size=1`) or JSON rows for a model with one input; JSON `{"inputs": {...}}` names each
 * input. Each becomes a tensor of the input's declared type and shape; a body that does not fit
 * the model is the client's mistake (400).
 */
export async function requestFeeds(
  invocation: Invocation,
  inputs: readonly OnnxInput[],
): Promise<Record<string, Tensor>> {
  const mediaType = parseContentType(invocation.contentType).mediaType;
  const named =
    mediaType === 'text/csv'
      ? { [onlyInput(inputs, 'CSV').name]: await csvRows(invocation) }
      : jsonFeeds(invocation.body, inputs);
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) {
    const data = named[input.name];
    if (!data)
      throw new InvocationError(
        400,
        `The request gives no value for the model input '${input.name}' (the model's inputs: ${names(inputs)}).`,
      );
    if (data.values.length === 0)
      throw new InvocationError(400, `The request holds no values for input '${input.name}'.`);
    const shape = fitShape(data, input);
    feeds[input.name] = new ort.Tensor(
      input.type,
      toFeedData(data.values, input.type, input.name),
      shape,
    );
  }
  return feeds;
}

/** CSV rows as one [n, width] array; the CSV reader refuses rows of differing widths. */
async function csvRows(invocation: Invocation): Promise<FlatArray> {
  const rows = await parseInferenceRows(invocation.body, invocation.contentType);
  return { shape: [rows.length, rows[0]?.length ?? 0], values: rows.flatMap((row) => [...row]) };
}

function jsonFeeds(body: Buffer, inputs: readonly OnnxInput[]): Record<string, FlatArray> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InvocationError(
      400,
      `The request body is not valid JSON: ${(error as Error).message}.`,
    );
  }
  if (Array.isArray(parsed)) return single(inputs, parsed, 'The request body');
  if (typeof parsed === 'object' && parsed !== null) {
    const body = parsed as Record<string, unknown>;
    if (Array.isArray(body.instances)) return single(inputs, body.instances, 'instances');
    if (Array.isArray(body.inputs)) return single(inputs, body.inputs, 'inputs');
    if (typeof body.inputs === 'object' && body.inputs !== null) {
      const given = body.inputs as Record<string, unknown>;
      const unknown = Object.keys(given).filter((name) => !inputs.some((i) => i.name === name));
      if (unknown.length > 0)
        throw new InvocationError(
          400,
          `The model has no input named ${unknown.map((n) => `'${n}'`).join(', ')}; its inputs are ${names(inputs)}.`,
        );
      return Object.fromEntries(
        Object.entries(given).map(([name, value]) => [
          name,
          flattenNested(value, `inputs.${name}`),
        ]),
      );
    }
  }
  throw new InvocationError(
    400,
    `The JSON request body has no rows the model can take: ${JSON_FORMS}.`,
  );
}

function single(
  inputs: readonly OnnxInput[],
  value: unknown[],
  where: string,
): Record<string, FlatArray> {
  return { [onlyInput(inputs, 'A JSON array of rows').name]: flattenNested(value, where) };
}

function onlyInput(inputs: readonly OnnxInput[], what: string): OnnxInput {
  if (inputs.length !== 1)
    throw new InvocationError(
      400,
      `${what} feeds a model with one input, but this model has ${inputs.length} (${names(inputs)}): send application/json {"inputs": {"<input name>": nested array, ...}}.`,
    );
  return inputs[0]!;
}

function names(inputs: readonly OnnxInput[]): string {
  return inputs.map((i) => `'${i.name}'`).join(', ');
}
