import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { LocalExecutor } from '../local/local-executor.js';
import { prepareUserCode } from './user-code.js';

let dir: string;
let root: string;
let store: FileObjectStore;
const NAMES = { program: 'SAGEMAKER_PROGRAM', source: 'SAGEMAKER_SUBMIT_DIRECTORY' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-user-code-'));
  root = join(dir, 'instance');
  store = new FileObjectStore(join(dir, 'store'));
  // Code packed in model.tar.gz, already unpacked in the root's model folder.
  await mkdir(join(root, 'model', 'code'), { recursive: true });
  await writeFile(
    join(root, 'model', 'code', 'serve.mjs'),
    "import { writeFileSync } from 'node:fs';\nwriteFileSync('cwd.txt', process.cwd());\n",
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareUserCode with code inside the contract root', () => {
  it('maps /opt/ml/model/code to the host root and runs the program there', async () => {
    const code = await prepareUserCode({
      root,
      program: 'serve.mjs',
      source: '/opt/ml/model/code',
      store,
      names: NAMES,
    });
    expect(code).toEqual({
      command: 'node',
      entryPoint: 'serve.mjs',
      cwd: join(root, 'model', 'code'),
    });
    // Started in its own folder, it finds its files there.
    const executor = new LocalExecutor({ baseEnv: { PATH: process.env.PATH, HOME: tmpdir() } });
    const running = await executor.start({
      name: 'serve',
      command: code.command,
      args: [code.entryPoint],
      cwd: code.cwd,
      env: {},
      logFile: join(dir, 'serve.log'),
    });
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(await readFile(join(code.cwd, 'cwd.txt'), 'utf8')).toBe(code.cwd);
  });

  it('names the variable and the folder when the folder or program is missing', async () => {
    const prepare = (program: string, source: string) =>
      prepareUserCode({ root, program, source, store, names: NAMES, runtime: 'python' });
    await expect(prepare('serve.py', '/opt/ml/model/src')).rejects.toThrow(
      "SAGEMAKER_SUBMIT_DIRECTORY '/opt/ml/model/src' is not a folder in the container's /opt/ml",
    );
    await expect(prepare('serve.py', '/opt/ml/../etc')).rejects.toThrow(/is not a folder/);
    await expect(prepare('serve.py', '/opt/ml/model/code')).rejects.toThrow(
      "SAGEMAKER_PROGRAM 'serve.py' was not found in /opt/ml/model/code.",
    );
  });
});
