import { extname } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { parseHyperParameter } from '../workspace/contract-layout.js';
import { type ScriptRuntime, prepareUserCode } from './user-code.js';
import { toCommandLineArgs } from './user-args.js';

export type { ScriptRuntime } from './user-code.js';

const PROGRAM_HP = 'sagemaker_program';
const SUBMIT_DIR_HP = 'sagemaker_submit_directory';

/** What `prepareScriptMode` needs. */
export interface ScriptModeOptions {
  /** The host's contract root; the source goes to `<root>/code/`. */
  readonly root: string;
  readonly hyperParameters: Readonly<Record<string, string>>;
  readonly store: ObjectStore;
  readonly runtime?: ScriptRuntime;
}

/** The parts of a ProcessSpec that script mode decides; `env` is added to the workspace's. */
export interface ScriptModeLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** True when the hyperparameters name a user program (`sagemaker_program`), as the SDK sends them. */
export function isScriptMode(hyperParameters: Readonly<Record<string, string>>): boolean {
  return hyperParameters[PROGRAM_HP] !== undefined;
}

/**
 * SageMaker framework "script mode" for training: readies the `sagemaker_submit_directory`
 * code in `<root>/code/` and says how to run `sagemaker_program` with the user hyperparameters
 * as `--name value` arguments, as the sagemaker-training toolkit does.
 */
export async function prepareScriptMode(options: ScriptModeOptions): Promise<ScriptModeLaunch> {
  const hps = options.hyperParameters;
  const program = stringHyperParameter(hps, PROGRAM_HP);
  const submitDir = stringHyperParameter(hps, SUBMIT_DIR_HP);
  if (program === undefined || submitDir === undefined) {
    throw new Error(`Script mode needs the hyperparameters ${PROGRAM_HP} and ${SUBMIT_DIR_HP}.`);
  }
  const code = await prepareUserCode({
    root: options.root,
    program,
    source: submitDir,
    store: options.store,
    runtime: options.runtime,
    names: { program: PROGRAM_HP, source: SUBMIT_DIR_HP },
  });
  const entry = code.entryPoint;
  const userArgs = toCommandLineArgs(hps);
  return {
    command: code.command,
    args: [entry, ...userArgs],
    cwd: code.cwd,
    env: {
      // As the toolkit: the module dir is the tarball's URI, the module name the program's stem.
      SM_MODULE_DIR: submitDir,
      SM_MODULE_NAME: entry.slice(0, entry.length - extname(entry).length),
      SM_USER_ENTRY_POINT: entry,
      SM_USER_ARGS: JSON.stringify(userArgs),
    },
  };
}

/** The SDK JSON-encodes every value (`"\"train.py\""`); a plain string is accepted too. */
function stringHyperParameter(
  hps: Readonly<Record<string, string>>,
  name: string,
): string | undefined {
  const raw = hps[name];
  if (raw === undefined) return undefined;
  const parsed = parseHyperParameter(raw);
  return typeof parsed === 'string' ? parsed : raw;
}
