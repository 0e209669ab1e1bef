import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessSpec } from '../executor.js';
import { LocalExecutor } from './local-executor.js';
import { stagingDir } from './namespaces.js';

const executor = new LocalExecutor({ baseEnv: { PATH: process.env.PATH, HOME: tmpdir() } });
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-exec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function nodeSpec(code: string, extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    name: 'job/algo-1',
    command: process.execPath,
    args: ['-e', code],
    cwd: dir,
    env: {},
    logFile: join(dir, 'logs', 'nested', 'job.log'),
    ...extra,
  };
}

/** Alive and not a zombie waiting for a parent that does not reap. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

describe('LocalExecutor', () => {
  it('appends stdout and stderr to the log in order and gives lines to onLine', async () => {
    const lines: string[] = [];
    const code = `
      const out = (s) => new Promise((r) => process.stdout.write(s, r));
      const err = (s) => new Promise((r) => process.stderr.write(s, r));
      const pause = () => new Promise((r) => setTimeout(r, 30));
      (async () => {
        await out('first\\n'); await pause();
        await err('second\\n'); await pause();
        await out('thi'); await pause(); await out('rd\\r\\nfou'); await pause();
        await out('rth é\\nlast without newline');
      })();`;
    const running = await executor.start(nodeSpec(code, { onLine: (l) => lines.push(l) }));
    expect(running.pid).toBeGreaterThan(0);
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(lines).toEqual(['first', 'second', 'third', 'fourth é', 'last without newline']);
    const log = await readFile(join(dir, 'logs', 'nested', 'job.log'), 'utf8');
    expect(log).toBe('first\nsecond\nthird\nfourth é\nlast without newline\n');
  });

  it('appends to an existing log rather than replacing it', async () => {
    const spec = nodeSpec('console.log("again")');
    await (
      await executor.start(spec)
    ).exited;
    await (
      await executor.start(spec)
    ).exited;
    expect(await readFile(spec.logFile, 'utf8')).toBe('again\nagain\n');
  });

  it('gives the process only its env plus the base env', async () => {
    const spec = nodeSpec('console.log(JSON.stringify(process.env))', { env: { SM_X: '1' } });
    await (
      await executor.start(spec)
    ).exited;
    const env = JSON.parse(await readFile(spec.logFile, 'utf8'));
    expect(env).toEqual({ PATH: process.env.PATH, HOME: tmpdir(), SM_X: '1' });
  });

  it('reports exit codes and signals', async () => {
    const failing = await executor.start(nodeSpec('process.exit(3)'));
    expect(await failing.exited).toEqual({ code: 3, signal: null });
    const killed = await executor.start(nodeSpec('process.kill(process.pid, "SIGKILL")'));
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stops with SIGTERM when the program honours it', async () => {
    const running = await executor.start(
      nodeSpec('console.log("up"); setInterval(() => {}, 1000)'),
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    expect(await running.stop(10_000)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills with SIGKILL after the grace when SIGTERM is ignored', async () => {
    const code = `process.on('SIGTERM', () => console.log('ignoring')); console.log('ready');
      setInterval(() => {}, 1000);`;
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const running = await executor.start(
      nodeSpec(code, { onLine: (l) => l === 'ready' && ready() }),
    );
    await isReady;
    const started = Date.now();
    expect(await running.stop(500)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(await readFile(nodeSpec('').logFile, 'utf8')).toContain('ignoring');
  });

  it('kills the processes a program started too', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const code = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
      console.log('ready'); setInterval(() => {}, 1000);`;
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const running = await executor.start(
      nodeSpec(code, { onLine: (l) => l === 'ready' && ready() }),
    );
    await isReady;
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(grandchild)).toBe(true);
    await running.stop(1_000);
    await expect.poll(() => isAlive(grandchild), { timeout: 3_000 }).toBe(false);
  });

  it('ends leftover descendants when the main process exits', async () => {
    const pidFile = join(dir, 'orphan.pid');
    const code = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
      require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
      process.exit(0);`;
    const running = await executor.start(nodeSpec(code));
    expect(await running.exited).toEqual({ code: 0, signal: null });
    const orphan = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => isAlive(orphan), { timeout: 3_000 }).toBe(false);
  });

  it('rejects naming the command when it does not exist', async () => {
    const spec = nodeSpec('', { command: 'plinth-no-such-program', args: [] });
    await expect(executor.start(spec)).rejects.toThrow(/plinth-no-such-program.*ENOENT/);
  });
});

/** A loopback server that accepts and hangs up; a probe that connects says 'reached'. */
async function withServer(use: (probe: string) => Promise<void>): Promise<void> {
  const { createServer } = await import('node:net');
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const probe = `require('node:net').connect(${port}, '127.0.0.1')
    .on('connect', () => { console.log('reached'); process.exit(0); })
    .on('error', (e) => { console.log('blocked ' + e.code); process.exit(0); });`;
  try {
    await use(probe);
  } finally {
    server.close();
  }
}

describe('network isolation', () => {
  it('leaves an isolated process no network, not even loopback to the server', async () => {
    await withServer(async (probe) => {
      const lines: string[] = [];
      const open = await executor.start(nodeSpec(probe, { onLine: (l) => lines.push(l) }));
      await open.exited;
      const isolated = await executor.start(
        nodeSpec(probe, { isolateNetwork: true, onLine: (l) => lines.push(l) }),
      );
      expect(await isolated.exited).toEqual({ code: 0, signal: null });
      expect(lines[0]).toBe('reached');
      expect(lines[1]).toMatch(/^blocked E/);
    });
  });
});

const support = await executor.contractRootSupport();
const hadOptMl = existsSync('/opt/ml');

describe.skipIf(!support.supported)(
  `contract root at /opt/ml${support.supported ? '' : ` (skipped, unsupported here: ${support.reason})`}`,
  () => {
    let root: string;

    beforeEach(async () => {
      // Quotes and spaces: paths reach the mount script as arguments, never as its text.
      root = join(dir, `algo "1" it's`);
      await mkdir(join(root, 'input', 'data'), { recursive: true });
      await mkdir(join(root, 'model'));
      await writeFile(join(root, 'input', 'data', 'train.csv'), '1,2\n');
    });

    /** Runs a program with the root at /opt/ml and returns the lines it wrote. */
    async function runInRoot(code: string, extra: Partial<ProcessSpec> = {}): Promise<string[]> {
      const lines: string[] = [];
      const running = await executor.start(
        nodeSpec(code, { contractRoot: root, onLine: (l) => lines.push(l), ...extra }),
      );
      expect(await running.exited).toEqual({ code: 0, signal: null });
      return lines;
    }

    it('reads and writes the root through /opt/ml, as the same process', async () => {
      const code = `const fs = require('node:fs');
        console.log(fs.readFileSync('/opt/ml/input/data/train.csv', 'utf8').trim());
        fs.writeFileSync('/opt/ml/model/x', 'trained');
        console.log(process.pid);`;
      const lines: string[] = [];
      const running = await executor.start(
        nodeSpec(code, { contractRoot: root, onLine: (l) => lines.push(l) }),
      );
      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(lines).toEqual(['1,2', String(running.pid)]);
      expect(await readFile(join(root, 'model', 'x'), 'utf8')).toBe('trained');
    });

    it("keeps the host's other /opt entries and their contents visible", async () => {
      const code = `const fs = require('node:fs');
        const entries = fs.readdirSync('/opt').sort();
        console.log(JSON.stringify(entries.map((e) => [e, fs.statSync('/opt/' + e).isDirectory()
          ? fs.readdirSync('/opt/' + e).sort() : null])));`;
      const [inside] = await runInRoot(code);
      const outside: [string, string[] | null][] = [];
      for (const entry of [...new Set([...(await readdir('/opt')), 'ml'])].sort()) {
        const path = entry === 'ml' ? root : join('/opt', entry);
        outside.push([
          entry,
          (await stat(path)).isDirectory() ? (await readdir(path)).sort() : null,
        ]);
      }
      expect(JSON.parse(inside!)).toEqual(outside);
    });

    it('leaves nothing behind outside the job: no /opt/ml, an empty staging directory', async () => {
      await runInRoot(`require('node:fs').writeFileSync('/opt/ml/model/x', '')`);
      expect(existsSync('/opt/ml')).toBe(hadOptMl);
      expect(await readdir(stagingDir(root))).toEqual([]);
    });

    it('stops the program and what it started, as one process group', async () => {
      const pidFile = join(root, 'grandchild.pid');
      const code = `
        const { spawn } = require('node:child_process');
        const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
        require('node:fs').writeFileSync('/opt/ml/grandchild.pid', String(g.pid));
        console.log('ready'); setInterval(() => {}, 1000);`;
      let ready!: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      const running = await executor.start(
        nodeSpec(code, { contractRoot: root, onLine: (l) => l === 'ready' && ready() }),
      );
      await isReady;
      const grandchild = Number(await readFile(pidFile, 'utf8'));
      expect(isAlive(grandchild)).toBe(true);
      expect(await running.stop(5_000)).toEqual({ code: null, signal: 'SIGTERM' });
      await expect.poll(() => isAlive(grandchild), { timeout: 3_000 }).toBe(false);
    });

    it('combines with network isolation in one set of namespaces', async () => {
      await withServer(async (probe) => {
        const code = `console.log(require('node:fs').readFileSync('/opt/ml/input/data/train.csv', 'utf8').trim());
          ${probe}`;
        const lines = await runInRoot(code, { isolateNetwork: true });
        expect(lines[0]).toBe('1,2');
        expect(lines[1]).toMatch(/^blocked E/);
      });
    });
  },
);
