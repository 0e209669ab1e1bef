import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { Executor, ProcessExit, ProcessSpec, RunningProcess } from '../executor.js';
import { LineSplitter } from './line-splitter.js';
import {
  inNamespaces,
  probeContractRoot,
  stagingDir,
  type ContractRootSupport,
} from './namespaces.js';

/**
 * After the main process exits, how long to wait for its stdout/stderr pipes to close. They stay
 * open while a leftover descendant holds them; the job must still end, as a container's does.
 */
export const PIPE_DRAIN_TIMEOUT_MS = 2_000;

/** Options of `LocalExecutor`. */
export interface LocalExecutorOptions {
  /**
   * The few variables every job inherits from the server (PATH, HOME, LANG); the spec's env
   * is laid over them. Passed in so that nothing here reads `process.env`.
   */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs each process as a local child process (no shell), in its own process group so that
 * stopping it also stops whatever it started. stdout and stderr go, line by line, to the log.
 * A spec's `contractRoot` is shown at `/opt/ml` where `contractRootSupport()` says it can be.
 */
export class LocalExecutor implements Executor {
  private readonly baseEnv: Record<string, string>;
  private support: Promise<ContractRootSupport> | undefined;

  constructor(options: LocalExecutorOptions) {
    this.baseEnv = {};
    for (const [name, value] of Object.entries(options.baseEnv)) {
      if (value !== undefined) this.baseEnv[name] = value;
    }
  }

  async start(spec: ProcessSpec): Promise<RunningProcess> {
    const [command, args] = inNamespaces(spec.command, spec.args, {
      isolateNetwork: spec.isolateNetwork === true,
      contractRoot: await this.mountableRoot(spec.contractRoot),
    });
    await mkdir(dirname(spec.logFile), { recursive: true });
    const log = createWriteStream(spec.logFile, { flags: 'a' });
    await once(log, 'open');
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...this.baseEnv, ...spec.env },
      // Its own process group: `kill(-pid)` then reaches the children of a script too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await spawned(child);
    } catch (error) {
      log.end();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot start '${command}' for ${spec.name}: ${reason}`, {
        cause: error,
      });
    }
    return new LocalProcess(child, { log, onLine: spec.onLine });
  }

  /**
   * Whether processes here can see their `contractRoot` at `/opt/ml` (a private mount namespace
   * through util-linux `unshare`), and if not, why. Tried once, on first use; when unsupported,
   * `contractRoot` is ignored.
   */
  contractRootSupport(): Promise<ContractRootSupport> {
    this.support ??= probeContractRoot(this.baseEnv);
    return this.support;
  }

  /** The absolute root to mount, its staging directory made, or none when unasked or unsupported. */
  private async mountableRoot(contractRoot: string | undefined): Promise<string | undefined> {
    if (contractRoot === undefined || !(await this.contractRootSupport()).supported) {
      return undefined;
    }
    const root = resolvePath(contractRoot);
    await mkdir(stagingDir(root), { recursive: true });
    return root;
  }
}

/** Resolves once the child is running; rejects with the spawn error (ENOENT, EACCES, bad cwd). */
function spawned(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
}

class LocalProcess implements RunningProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  private done = false;

  constructor(
    private readonly child: ChildProcess,
    output: { log: WriteStream; onLine: ((line: string) => void) | undefined },
  ) {
    if (child.pid === undefined) throw new Error('spawned child has no pid');
    this.pid = child.pid;
    // Later errors (a failed kill) are not fatal: the exit is what callers wait for.
    child.on('error', () => undefined);
    const writeLine = (line: string): void => {
      output.log.write(`${line}\n`);
      try {
        output.onLine?.(line);
      } catch {
        // A faulty line consumer (e.g. a metric regex) must not cost the job its log.
      }
    };
    const streams = [child.stdout, child.stderr].filter((s): s is Readable => s !== null);
    const splitters = streams.map((stream) => {
      const splitter = new LineSplitter(writeLine);
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      return splitter;
    });
    this.exited = this.waitForExit({ streams, splitters, log: output.log });
  }

  async stop(graceMs: number): Promise<ProcessExit> {
    if (this.done) return this.exited;
    this.killGroup('SIGTERM');
    const timer = setTimeout(() => this.killGroup('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitForExit(output: {
    streams: Readable[];
    splitters: LineSplitter[];
    log: WriteStream;
  }): Promise<ProcessExit> {
    const { code, signal } = await new Promise<ProcessExit>((resolve) => {
      this.child.once('exit', (exitCode, exitSignal) =>
        resolve({ code: exitCode, signal: exitSignal }),
      );
    });
    this.done = true;
    // As when a container's main process ends: whatever it left running goes too.
    this.killGroup('SIGKILL');
    await Promise.race([
      Promise.all(output.streams.filter((s) => !s.closed).map((s) => once(s, 'close'))),
      new Promise((resolve) => setTimeout(resolve, PIPE_DRAIN_TIMEOUT_MS).unref()),
    ]);
    for (const stream of output.streams) stream.destroy();
    for (const splitter of output.splitters) splitter.end();
    output.log.end();
    await once(output.log, 'close');
    return { code, signal };
  }

  private killGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone, which is what we wanted.
    }
  }
}
