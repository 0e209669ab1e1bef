import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The file name the ONNX server looks for first, as SageMaker's ONNX examples package it. */
export const ONNX_MODEL_FILE = 'model.onnx';

/**
 * The ONNX file in a model directory (model.tar.gz unpacked): `model.onnx`, else the only
 * `*.onnx` file at its top. Throws a message fit for the endpoint's log when there is none or
 * several to choose from.
 */
export async function findOnnxFile(modelDir: string): Promise<string> {
  const entries = await readdir(modelDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new Error(`Cannot read the model directory ${modelDir}: ${(error as Error).message}`);
  });
  const files = entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.onnx'))
    .map((e) => e.name)
    .sort();
  if (files.includes(ONNX_MODEL_FILE)) return join(modelDir, ONNX_MODEL_FILE);
  if (files.length === 1) return join(modelDir, files[0]!);
  if (files.length === 0)
    throw new Error(
      `No .onnx file in the model directory ${modelDir}: put the model at the top of model.tar.gz as ${ONNX_MODEL_FILE}.`,
    );
  throw new Error(
    `The model directory ${modelDir} holds several .onnx files (${files.join(', ')}) and none is named ${ONNX_MODEL_FILE}: rename the one to serve ${ONNX_MODEL_FILE}.`,
  );
}
