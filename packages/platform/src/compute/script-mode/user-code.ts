import { stat } from 'node:fs/promises';
import { extname, join, posix } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { unpackTarGzObject } from '../archive/unpack-object.js';
import { CONTAINER_ROOT, hostPath, isBelow } from '../workspace/container-paths.js';
import { contractPaths } from '../workspace/contract-layout.js';

/** The runtime a framework image implies; undefined lets the program's extension decide. */
export type ScriptRuntime = 'python' | 'node';

/** Commands per runtime and per file extension (for images that imply no runtime). */
const RUNTIME_COMMANDS: Record<ScriptRuntime, string> = { python: 'python3', node: 'node' };
const EXTENSION_COMMANDS: Record<string, string> = {
  '.py': 'python3',
  '.js': 'node',
  '.mjs': 'node',
  '.cjs': 'node',
  '.sh': '/bin/sh',
};

/** A user's program and where its code comes from, as a training job or a Model names them. */
export interface UserCodeOptions {
  /** The instance's contract root; a source tarball is unpacked in `<root>/code/`. */
  readonly root: string;
  /** The entry point, relative to the source directory (`train.py`, `serve/app.mjs`). */
  readonly program: string;
  /**
   * An `s3://` URI of a sourcedir.tar.gz, or a folder as the container sees it below
   * `/opt/ml` (e.g. `/opt/ml/model/code`, code that came inside model.tar.gz).
   */
  readonly source: string;
  readonly store: ObjectStore;
  readonly runtime?: ScriptRuntime | undefined;
  /** How messages name the program and the source: the hyperparameters or env variables. */
  readonly names: { readonly program: string; readonly source: string };
}

/** How to run a user's program: `command entryPoint` in `cwd`. */
export interface UserCode {
  readonly command: string;
  /** The program's normalized path, relative to `cwd`. */
  readonly entryPoint: string;
  /** The source directory on the host. */
  readonly cwd: string;
}

/**
 * Readies a user's code, as SageMaker's training and inference toolkits do for framework images:
 * downloads and extracts the source tarball into `<root>/code/` (or finds the folder already in
 * the root), checks the program is a file in it, and picks the command from the image's runtime
 * or else the program's extension. Throws an Error worded as a FailureReason.
 */
export async function prepareUserCode(options: UserCodeOptions): Promise<UserCode> {
  const { program, source, names } = options;
  const entryPoint = posix.normalize(program);
  if (
    program === '' ||
    entryPoint.startsWith('/') ||
    entryPoint === '..' ||
    entryPoint.startsWith('../')
  ) {
    throw new Error(`${names.program} '${program}' must be a path inside the source directory.`);
  }
  const command = chooseCommand(program, { runtime: options.runtime, name: names.program });
  const cwd = await sourceDirectory(options);
  const found = await stat(join(cwd, entryPoint)).catch(() => undefined);
  if (!found?.isFile()) {
    throw new Error(`${names.program} '${program}' was not found in ${source}.`);
  }
  return { command, entryPoint, cwd };
}

/** The host folder holding the source: a tarball unpacked, or a folder of the root. */
async function sourceDirectory(options: UserCodeOptions): Promise<string> {
  const { root, source, names } = options;
  if (source === CONTAINER_ROOT || source.startsWith(`${CONTAINER_ROOT}/`)) {
    const dir = isBelow(source) ? hostPath(root, source) : undefined;
    const found = dir === undefined ? undefined : await stat(dir).catch(() => undefined);
    if (!dir || !found?.isDirectory()) {
      throw new Error(
        `${names.source} '${source}' is not a folder in the container's ${CONTAINER_ROOT}; for code packed in model.tar.gz, put it in the tarball's code/ folder and use ${CONTAINER_ROOT}/model/code.`,
      );
    }
    return dir;
  }
  const codeDir = contractPaths(root).code;
  await unpackTarGzObject(options.store, {
    uri: source,
    dir: codeDir,
    what: 'the source directory',
  });
  return codeDir;
}

function chooseCommand(
  program: string,
  how: { runtime: ScriptRuntime | undefined; name: string },
): string {
  if (how.runtime) return RUNTIME_COMMANDS[how.runtime];
  const command = EXTENSION_COMMANDS[extname(program).toLowerCase()];
  if (!command) {
    throw new Error(
      `Cannot tell how to run ${how.name} '${program}': use a .py, .js, .mjs or .sh file, ` +
        'or an image that implies its runtime.',
    );
  }
  return command;
}
