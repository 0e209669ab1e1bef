import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFormatError } from './json-checks.js';
import { MODEL_FILE } from './model-json.js';
import { type XGBoostModel, readModelJson } from './model-reader.js';

const SAVE_AS_JSON =
  "Plinth serves xgboost's JSON model format: in Python, load the model and save it with booster.save_model('xgboost-model.json') (the .json name makes xgboost write JSON), then package that file in model.tar.gz";

/** A model file found in the model directory, and the model read from it. */
export interface LoadedModelFile {
  path: string;
  model: XGBoostModel;
}

/**
 * Loads the model from the model directory: `xgboost-model` (SageMaker's name), else the only
 * `*.json` file. The file must hold xgboost's JSON format; a binary, UBJSON or pickled model
 * fails with a message saying how to save it as JSON.
 */
export async function loadModelFile(modelDir: string): Promise<LoadedModelFile> {
  const path = join(modelDir, await chooseModelFile(modelDir));
  const bytes = await readFile(path);
  const format = sniffFormat(bytes);
  if (format !== 'json')
    throw new ModelFormatError(`${path} is ${format}, not JSON. ${SAVE_AS_JSON}.`);
  try {
    return { path, model: readModelJson(bytes.toString('utf8')) };
  } catch (error) {
    if (error instanceof ModelFormatError)
      throw new ModelFormatError(`${path} is not a valid xgboost JSON model: ${error.message}.`);
    throw error;
  }
}

async function chooseModelFile(modelDir: string): Promise<string> {
  let names: string[];
  try {
    const entries = await readdir(modelDir, { withFileTypes: true });
    names = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  } catch (error) {
    throw new ModelFormatError(
      `Cannot read the model directory ${modelDir}: ${(error as Error).message}`,
    );
  }
  if (names.includes(MODEL_FILE)) return MODEL_FILE;
  const json = names.filter((name) => name.toLowerCase().endsWith('.json')).sort();
  if (json.length === 1) return json[0]!;
  const found = names.length === 0 ? 'it is empty' : `it holds ${names.sort().join(', ')}`;
  if (json.length === 0)
    throw new ModelFormatError(
      `No model in ${modelDir}: expected a file named ${MODEL_FILE} or one *.json file, but ${found}. ${SAVE_AS_JSON}.`,
    );
  throw new ModelFormatError(
    `${modelDir} holds several JSON files (${json.join(', ')}); name the model ${MODEL_FILE} or keep only one *.json file.`,
  );
}

/** Tells xgboost's JSON from its other model formats by the first bytes. */
function sniffFormat(bytes: Buffer): string {
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  if (i === bytes.length) return 'empty';
  const first = bytes[i]!;
  if (first === 0x80)
    return "a Python pickle (how SageMaker's own XGBoost container saves xgboost-model)";
  if (first === 0x7b) {
    // JSON continues with whitespace, a quote or '}'; UBJSON with a type marker (L, i, U, $...).
    let j = i + 1;
    while (
      j < bytes.length &&
      (bytes[j] === 0x20 || bytes[j] === 0x0a || bytes[j] === 0x0d || bytes[j] === 0x09)
    )
      j++;
    const next = bytes[j];
    return next === 0x22 || next === 0x7d || next === undefined
      ? 'json'
      : "xgboost's UBJSON format";
  }
  if (bytes.subarray(i, i + 4).toString('latin1') === 'binf' || bytes.includes(0))
    return "xgboost's binary format";
  return 'not a JSON object';
}
