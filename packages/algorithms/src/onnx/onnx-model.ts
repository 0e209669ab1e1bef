import { basename } from 'node:path';
import ort from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { type FeedType, isFeedType } from './element-types.js';
import type { DeclaredShape } from './input-shape.js';
import { findOnnxFile } from './model-file.js';

/** A model input the server feeds: its name, element type and declared shape. */
export interface OnnxInput {
  readonly name: string;
  readonly type: FeedType;
  readonly shape: DeclaredShape;
}

/** An ONNX model loaded for serving. */
export interface OnnxModel {
  readonly file: string;
  readonly session: InferenceSession;
  readonly inputs: readonly OnnxInput[];
  /** The tensor outputs, in the model's order: those a response carries. */
  readonly outputs: readonly string[];
  /** Outputs left out of responses (sequences and maps), each with why. */
  readonly omitted: readonly string[];
}

/**
 * Loads the model directory's ONNX file into an onnxruntime session (CPU). Throws, with a
 * message for the endpoint's log, when the file is missing or invalid or an input is of a type
 * requests cannot be turned into (strings, float16, sequences, maps).
 */
export async function loadOnnxModel(modelDir: string): Promise<OnnxModel> {
  const file = await findOnnxFile(modelDir);
  const session = await ort.InferenceSession.create(file).catch((error: unknown) => {
    throw new Error(`Cannot load the ONNX model ${file}: ${(error as Error).message}`);
  });
  const inputs = session.inputMetadata.map((meta): OnnxInput => {
    if (!meta.isTensor || !isFeedType(meta.type))
      throw new Error(
        `The ONNX model ${basename(file)} has the input '${meta.name}' of type ${meta.isTensor ? meta.type : 'sequence or map'}; Plinth's ONNX server feeds numeric and bool tensors only.`,
      );
    return { name: meta.name, type: meta.type, shape: meta.shape };
  });
  const outputs: string[] = [];
  const omitted: string[] = [];
  for (const meta of session.outputMetadata) {
    if (meta.isTensor && meta.type !== 'float16') outputs.push(meta.name);
    else
      omitted.push(
        `'${meta.name}' (${meta.isTensor ? meta.type : 'a sequence or map; skl2onnx converts classifiers with options={"zipmap": False} to give a tensor'})`,
      );
  }
  if (outputs.length === 0)
    throw new Error(`The ONNX model ${basename(file)} has no tensor output to answer with.`);
  return { file, session, inputs, outputs, omitted };
}

/** The startup log's name for a model: file, inputs and outputs. */
export function describeOnnxModel(model: OnnxModel): string {
  const inputs = model.inputs.map((i) => `${i.name} ${i.type} [${i.shape.join(',')}]`);
  const omitted = model.omitted.length
    ? `; left out of responses: ${model.omitted.join(', ')}`
    : '';
  return `ONNX model ${basename(model.file)} (inputs: ${inputs.join(', ')}; outputs: ${model.outputs.join(', ')}${omitted})`;
}
