import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Executor, ProcessExit, RunningProcess } from './executor.js';
import { LogEventWriter } from './log-events.js';

/** The program one host of a job runs. */
export interface HostLaunch {
  /** `algo-1` ... for training, `algo-1` ... for processing. */
  readonly host: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The host's work directory, shown to the program at `/opt/ml` where the executor can. */
  readonly contractRoot?: string;
}

/** A job's programs, where their logs go and what bounds them. */
export interface HostRunSpec {
  readonly jobName: string;
  /** The job's directory: `<host>.log`, `<host>.events.jsonl` and `<host>.pid` are kept here. */
  readonly jobDir: string;
  readonly launches: readonly HostLaunch[];
  readonly isolateNetwork: boolean;
  readonly maxRuntimeMs: number;
  /** Called once when the runtime limit is reached, before the programs are stopped. */
  readonly onTimeout: () => void;
  /** Each line any host writes. */
  readonly onLine?: (line: string) => void;
}

/** What `HostRun` needs from its surroundings. */
export interface HostRunDeps {
  readonly executor: Executor;
  readonly clock: Clock;
  /** How long a stopped program gets between SIGTERM and SIGKILL. */
  readonly stopGraceMs: number;
}

/** How a job's programs ended. */
export interface HostRunResult {
  /** Each host's exit, in host order. */
  readonly exits: readonly ProcessExit[];
  /**
   * The host whose program failed first on its own (the others were then stopped), else the
   * first that ended with a failure (a stopped job's hosts do); absent when all succeeded.
   */
  readonly failed?: number;
}

/**
 * Runs one program per host of a job as SageMaker runs a job's containers: all at once, each
 * one's output kept as the job's log (plain and as timed events), stopped together on request,
 * when the runtime limit passes, or when one host's program fails. Each host's process id is written down so that a server
 * restarted after a crash can end what this one started (`killLeftovers`).
 */
export class HostRun {
  readonly #processes: RunningProcess[] = [];
  #stopping = false;
  #failed: number | undefined;

  constructor(
    private readonly spec: HostRunSpec,
    private readonly deps: HostRunDeps,
  ) {}

  /** Starts every host and resolves when all have ended; rejects if one cannot be started. */
  async run(): Promise<HostRunResult> {
    const { spec, deps } = this;
    const timer = setTimeout(() => {
      spec.onTimeout();
      void this.stop(deps.stopGraceMs);
    }, spec.maxRuntimeMs);
    const writers: LogEventWriter[] = [];
    try {
      for (const launch of spec.launches) {
        if (this.#stopping) break;
        const events = new LogEventWriter(spec.jobDir, launch.host);
        writers.push(events);
        const process = await deps.executor.start({
          name: `${spec.jobName}/${launch.host}`,
          command: launch.command,
          args: launch.args,
          cwd: launch.cwd,
          env: launch.env,
          logFile: join(spec.jobDir, `${launch.host}.log`),
          onLine: (line) => {
            spec.onLine?.(line);
            events.append({ timestamp: deps.clock.now().getTime(), message: line });
          },
          isolateNetwork: spec.isolateNetwork,
          contractRoot: launch.contractRoot,
        });
        this.#watch(process, this.#processes.push(process) - 1);
        if (this.#stopping) void process.stop(deps.stopGraceMs);
        await writeFile(join(spec.jobDir, `${launch.host}.pid`), String(process.pid));
      }
      const exits = await Promise.all(this.#processes.map((p) => p.exited));
      const failed = this.#failed ?? exits.findIndex((e) => e.code !== 0);
      return { exits, ...(failed >= 0 ? { failed } : {}) };
    } catch (error) {
      await this.stop(0);
      throw error;
    } finally {
      clearTimeout(timer);
      await Promise.all(writers.map((w) => w.close()));
    }
  }

  /** A host that fails while the others run stops them: the job has failed. */
  #watch(process: RunningProcess, index: number): void {
    void process.exited.then((exit) => {
      if (exit.code === 0 || this.#stopping) return;
      this.#failed = index;
      void this.stop(this.deps.stopGraceMs);
    });
  }

  /** SIGTERM to every host, SIGKILL after `graceMs`; hosts not started yet never start. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#processes.map((p) => p.stop(graceMs)));
  }
}

/**
 * Kills the process groups a previous server started for a job (its `.pid` files), so that a
 * crash does not leave programs running with nobody to collect them.
 */
export async function killLeftovers(jobDir: string): Promise<void> {
  const files = await readdir(jobDir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.pid'))) {
    const pid = Number(await readFile(join(jobDir, file), 'utf8').catch(() => ''));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
