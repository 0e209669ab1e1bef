import { stat } from 'node:fs/promises';
import { extname, join, posix } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { unpackTarGzObject } from '../archive/unpack-object.js';
import { contractPaths, parseHyperParameter } from '../workspace/contract-layout.js';
import { toCommandLineArgs } from './user-args.js';

/** The runtime a framework image implies; undefined lets the program's extension decide. */
export type ScriptRuntime = 'python' | 'node';

const PROGRAM_HP = 'sagemaker_program';
const SUBMIT_DIR_HP = 'sagemaker_submit_directory';

/** Commands per runtime and per file extension (for images that imply no runtime). */
const RUNTIME_COMMANDS: Record<ScriptRuntime, string> = { python: 'python3', node: 'node' };
const EXTENSION_COMMANDS: Record<string, string> = {
  '.py': 'python3',
  '.js': 'node',
  '.mjs': 'node',
  '.cjs': 'node',
  '.sh': '/bin/sh',
};

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
 * SageMaker framework "script mode": downloads the `sagemaker_submit_directory` tarball,
 * extracts it into `<root>/code/` and says how to run `sagemaker_program` with the user
 * hyperparameters as `--name value` arguments, as the sagemaker-training toolkit does.
 */
export async function prepareScriptMode(options: ScriptModeOptions): Promise<ScriptModeLaunch> {
  const hps = options.hyperParameters;
  const program = stringHyperParameter(hps, PROGRAM_HP);
  const submitDir = stringHyperParameter(hps, SUBMIT_DIR_HP);
  if (program === undefined || submitDir === undefined) {
    throw new Error(`Script mode needs the hyperparameters ${PROGRAM_HP} and ${SUBMIT_DIR_HP}.`);
  }
  const normal = posix.normalize(program);
  if (program === '' || normal.startsWith('/') || normal === '..' || normal.startsWith('../')) {
    throw new Error(`${PROGRAM_HP} '${program}' must be a path inside the source directory.`);
  }
  const command = chooseCommand(program, options.runtime);
  const codeDir = contractPaths(options.root).code;
  await unpackTarGzObject(options.store, {
    uri: submitDir,
    dir: codeDir,
    what: 'the source directory',
  });
  const found = await stat(join(codeDir, normal)).catch(() => undefined);
  if (!found?.isFile()) {
    throw new Error(`${PROGRAM_HP} '${program}' was not found in ${submitDir}.`);
  }
  const userArgs = toCommandLineArgs(hps);
  return {
    command,
    args: [normal, ...userArgs],
    cwd: codeDir,
    env: {
      // As the toolkit: the module dir is the tarball's URI, the module name the program's stem.
      SM_MODULE_DIR: submitDir,
      SM_MODULE_NAME: normal.slice(0, normal.length - extname(normal).length),
      SM_USER_ENTRY_POINT: normal,
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

function chooseCommand(program: string, runtime: ScriptRuntime | undefined): string {
  if (runtime) return RUNTIME_COMMANDS[runtime];
  const command = EXTENSION_COMMANDS[extname(program).toLowerCase()];
  if (!command) {
    throw new Error(
      `Cannot tell how to run ${PROGRAM_HP} '${program}': use a .py, .js, .mjs or .sh file, ` +
        'or an image that implies its runtime.',
    );
  }
  return command;
}
