import { Command, CommanderError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDeploy, type DeployFlags } from '../deploy/run-deploy.js';
import { runInvoke } from '../invoke/run-invoke.js';
import { createProgram } from '../program.js';

/** Nothing listens here: a test that reached the network would fail with ECONNREFUSED. */
const NOWHERE = { endpointUrl: 'http://127.0.0.1:9' };

/**
 * Parses `plinth <command> …args` with the real command tree, capturing the flags the command's
 * action would get (instead of running it) and what commander prints on an error.
 */
function parse(command: string, args: readonly string[]) {
  const program = createProgram();
  const sub = program.commands.find((c) => c.name() === command)!;
  let errors = '';
  let captured: { args: unknown[]; flags: Record<string, unknown> } | undefined;
  for (const c of [program, sub]) {
    c.exitOverride().configureOutput({
      writeErr: (text) => (errors += text),
      writeOut: () => undefined,
    });
  }
  sub.action((...received: unknown[]) => {
    captured = { args: received.slice(0, -2), flags: received.at(-2) as Record<string, unknown> };
  });
  try {
    program.parse([command, ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
  }
  return { ...captured, errors };
}

/** A command whose `error()` throws instead of exiting, as the action's `command` argument. */
function quietCommand(): Command {
  return new Command('x').exitOverride().configureOutput({ writeErr: () => undefined });
}

describe('plinth deploy flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-deploy-cmd-'));
  const model = join(dir, 'model.tar.gz');
  writeFileSync(model, 'x');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the defaults SageMaker users expect from deploy()', () => {
    const { flags, errors } = parse('deploy', ['--training-job', 'km']);
    expect(errors).toBe('');
    expect(flags).toEqual({
      trainingJob: 'km',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      variant: 'AllTraffic',
      bucket: 'plinth-default',
      role: 'arn:aws:iam::000000000000:role/plinth',
      wait: true,
    });
  });

  it('takes a local artifact, an image, repeated --env and the rest', () => {
    const { flags } = parse('deploy', [
      '--model-data',
      model,
      '--image',
      'kmeans',
      '--env',
      'A=1',
      '--env',
      'B=x=y',
      '--name',
      'my-endpoint',
      '--instance-count',
      '2',
      '--variant',
      'blue',
      '--no-wait',
      '--json',
    ]);
    expect(flags).toMatchObject({
      modelData: { localPath: model },
      image: 'kmeans',
      env: { A: '1', B: 'x=y' },
      name: 'my-endpoint',
      instanceCount: 2,
      variant: 'blue',
      wait: false,
      json: true,
    });
  });

  it('rejects bad values naming the flag', () => {
    const cases: [string[], string][] = [
      [
        ['--training-job', 'a', '--model-data', model],
        "option '--training-job <name>' cannot be used with option '--model-data",
      ],
      [
        ['--model-data', join(dir, 'nope.tar.gz')],
        "option '--model-data <s3-uri-or-file>' argument",
      ],
      [['--training-job', 'a', '--env', 'NOVALUE'], 'Expected KEY=VALUE'],
      [['--training-job', 'a', '--env', 'A=1', '--env', 'A=2'], "The variable 'A' is given twice."],
      [
        ['--training-job', 'a', '--name', 'bad_name'],
        "option '--name <name>' argument 'bad_name' is invalid",
      ],
      [['--training-job', 'a', '--instance-count', '0'], "option '--instance-count <n>'"],
      [['--training-job', 'a', '--variant', '-x'], 'A variant name is 1 to 63'],
    ];
    for (const [args, message] of cases) {
      const { flags, errors } = parse('deploy', args);
      expect(flags, args.join(' ')).toBeUndefined();
      expect(errors, args.join(' ')).toContain(message);
    }
  });

  it('needs a model source, an image with --model-data and a known instance type, before it calls the server', async () => {
    const base: DeployFlags = {
      bucket: 'b',
      role: 'r',
      variant: 'AllTraffic',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      wait: true,
    };
    await expect(runDeploy(base, NOWHERE, quietCommand())).rejects.toThrow(
      'give exactly one of --training-job <name> and --model-data <s3-uri-or-file>',
    );
    await expect(
      runDeploy({ ...base, modelData: { localPath: model } }, NOWHERE, quietCommand()),
    ).rejects.toThrow('--model-data needs --image <image>');
    await expect(
      runDeploy({ ...base, trainingJob: 'km', instanceType: 'ml.bogus' }, NOWHERE, quietCommand()),
    ).rejects.toThrow(
      "option '--instance-type <type>' argument 'ml.bogus' is not a SageMaker hosting instance type",
    );
  });
});

describe('plinth invoke flags', () => {
  it('defaults the content type to text/csv and passes the rest as given', () => {
    const { args, flags } = parse('invoke', [
      'km',
      '--body',
      '1,2',
      '--accept',
      'application/json',
      '--target-variant',
      'blue',
      '--custom-attributes',
      'trace=1',
      '--verbose',
    ]);
    expect(args).toEqual(['km']);
    expect(flags).toEqual({
      body: '1,2',
      contentType: 'text/csv',
      accept: 'application/json',
      targetVariant: 'blue',
      customAttributes: 'trace=1',
      verbose: true,
    });
  });

  it('needs an endpoint and an existing --file', () => {
    expect(parse('invoke', []).errors).toContain("missing required argument 'endpoint'");
    expect(parse('invoke', ['km', '--file', '/no/such/file.csv']).errors).toContain(
      "There is no file '/no/such/file.csv'.",
    );
  });

  it('needs exactly one body before it calls the server', async () => {
    const context = { clientOptions: NOWHERE, command: quietCommand() };
    await expect(runInvoke('km', { contentType: 'text/csv' }, context)).rejects.toThrow(
      "give the request body with --body '<text>', --file <path>, or --file - to read stdin",
    );
    await expect(
      runInvoke('km', { contentType: 'text/csv', body: '1', file: '-' }, context),
    ).rejects.toThrow('give the request body once');
  });
});
