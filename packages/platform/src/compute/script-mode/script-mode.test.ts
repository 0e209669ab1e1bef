import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { LocalExecutor } from '../local/local-executor.js';
import { prepareScriptMode } from './script-mode.js';
import { toCommandLineArgs } from './user-args.js';

let dir: string;
let root: string;
let store: FileObjectStore;
const executor = new LocalExecutor({ baseEnv: { PATH: process.env.PATH, HOME: tmpdir() } });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-script-'));
  root = join(dir, 'algo-1');
  store = new FileObjectStore(join(dir, 'store'));
  await store.createBucket('code');
  await mkdir(join(root, 'model'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Makes sourcedir.tar.gz from files (and extra tar args) and uploads it; returns its URI. */
async function uploadSource(
  files: Record<string, string>,
  tarArgs: string[] = [],
): Promise<string> {
  const src = join(dir, 'src');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(src, path, '..'), { recursive: true });
    await writeFile(join(src, path), text);
  }
  const tarball = join(dir, 'sourcedir.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', src, ...tarArgs, '.']);
  await store.putObject({
    bucket: 'code',
    key: 'job/source/sourcedir.tar.gz',
    body: createReadStream(tarball),
  });
  return 's3://code/job/source/sourcedir.tar.gz';
}

const SDK_HPS = (program: string, uri: string): Record<string, string> => ({
  sagemaker_program: JSON.stringify(program),
  sagemaker_submit_directory: JSON.stringify(uri),
  sagemaker_region: '"us-east-1"',
  epochs: '10',
  'learning-rate': '0.05',
  optimizer: '"adam"',
  verbose: 'true',
  layers: '[64, 32]',
});

const NODE_TRAIN = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const sm = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SM_')));
writeFileSync(join(process.env.SM_MODEL_DIR, 'seen.json'),
  JSON.stringify({ argv: process.argv.slice(2), env: sm, cwd: process.cwd() }));
`;

const PY_TRAIN = `
import json, os, sys
sm = {k: v for k, v in os.environ.items() if k.startswith('SM_')}
with open(os.path.join(os.environ['SM_MODEL_DIR'], 'seen.json'), 'w') as f:
    json.dump({'argv': sys.argv[1:], 'env': sm, 'cwd': os.getcwd()}, f)
`;

async function runLaunch(hps: Record<string, string>, runtime?: 'python' | 'node') {
  const launch = await prepareScriptMode({
    root,
    hyperParameters: hps,
    store,
    ...(runtime ? { runtime } : {}),
  });
  const running = await executor.start({
    name: 'job/algo-1',
    ...launch,
    env: { ...launch.env, SM_MODEL_DIR: join(root, 'model') },
    logFile: join(root, 'job.log'),
  });
  const exit = await running.exited;
  expect(exit, await readFile(join(root, 'job.log'), 'utf8')).toEqual({ code: 0, signal: null });
  return { launch, seen: JSON.parse(await readFile(join(root, 'model', 'seen.json'), 'utf8')) };
}

const EXPECTED_ARGS = [
  '--epochs',
  '10',
  '--layers',
  '[64, 32]',
  '--learning-rate',
  '0.05',
  '--optimizer',
  'adam',
  '--verbose',
  'True',
];

describe('prepareScriptMode', () => {
  it('runs a Node program from the source tarball with the toolkit arguments and env', async () => {
    const uri = await uploadSource({ 'train.mjs': NODE_TRAIN, 'lib/util.mjs': 'export {}' });
    const { launch, seen } = await runLaunch(SDK_HPS('train.mjs', uri));
    expect(launch.command).toBe('node');
    expect(launch.cwd).toBe(join(root, 'code'));
    expect(existsSync(join(root, 'code', 'lib', 'util.mjs'))).toBe(true);
    expect(seen.argv).toEqual(EXPECTED_ARGS);
    expect(seen.cwd).toBe(join(root, 'code'));
    expect(seen.env).toMatchObject({
      SM_MODULE_DIR: uri,
      SM_MODULE_NAME: 'train',
      SM_USER_ENTRY_POINT: 'train.mjs',
      SM_USER_ARGS: JSON.stringify(EXPECTED_ARGS),
    });
  });

  it.runIf(existsSync('/usr/bin/python3'))('runs a Python program', async () => {
    const uri = await uploadSource({ 'train.py': PY_TRAIN });
    // Plain (not JSON-encoded) program and submit directory are accepted too.
    const hps = {
      ...SDK_HPS('train.py', uri),
      sagemaker_program: 'train.py',
      sagemaker_submit_directory: uri,
    };
    const { launch, seen } = await runLaunch(hps, 'python');
    expect(launch.command).toBe('python3');
    expect(seen.argv).toEqual(EXPECTED_ARGS);
    expect(seen.env.SM_MODULE_NAME).toBe('train');
  });

  it('uses the runtime the image implies over the extension', async () => {
    const uri = await uploadSource({ 'train.js': NODE_TRAIN });
    const launch = await prepareScriptMode({
      root,
      hyperParameters: SDK_HPS('train.js', uri),
      store,
      runtime: 'python',
    });
    expect(launch.command).toBe('python3');
  });

  it('says what is wrong with the program or the source', async () => {
    const uri = await uploadSource({ 'train.py': PY_TRAIN });
    const run = (hps: Record<string, string>) =>
      prepareScriptMode({ root, hyperParameters: hps, store });
    await expect(run(SDK_HPS('missing.py', uri))).rejects.toThrow(
      `sagemaker_program 'missing.py' was not found in ${uri}.`,
    );
    await expect(run(SDK_HPS('train.rb', uri))).rejects.toThrow(/Cannot tell how to run/);
    await expect(run(SDK_HPS('../x.py', uri))).rejects.toThrow(/inside the source directory/);
    await expect(run(SDK_HPS('train.py', 's3://code/nothing.tar.gz'))).rejects.toThrow(
      /Could not unpack the source directory s3:\/\/code\/nothing.tar.gz/,
    );
    await expect(run({ epochs: '1' })).rejects.toThrow(/needs the hyperparameters/);
  });

  it('rejects a tarball whose entries escape the code folder', async () => {
    const dotdot = await uploadSource({ 'train.py': PY_TRAIN }, [
      '--transform',
      's,^\\./train,../escaped,',
    ]);
    await expect(
      prepareScriptMode({ root, hyperParameters: SDK_HPS('train.py', dotdot), store }),
    ).rejects.toThrow(/'\.\.\/escaped.py' would be written outside/);
    await rm(join(dir, 'src'), { recursive: true });
    await mkdir(join(dir, 'src'));
    await symlink('/etc', join(dir, 'src', 'link'));
    const linked = await uploadSource({ 'train.py': PY_TRAIN });
    await expect(
      prepareScriptMode({ root, hyperParameters: SDK_HPS('train.py', linked), store }),
    ).rejects.toThrow(/links outside the extraction directory \(to '\/etc'\)/);
    expect(existsSync(join(root, 'escaped.py'))).toBe(false);
  });
});

describe('toCommandLineArgs', () => {
  it('prints values as the toolkit does', () => {
    expect(
      toCommandLineArgs({ d: '{"b": 2, "a": "x"}', n: 'null', s: 'plain', f: 'false' }),
    ).toEqual(['--d', 'a=x,b=2', '--f', 'False', '--n', 'None', '--s', 'plain']);
  });
});
