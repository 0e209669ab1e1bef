/**
 * Runs job programs (training algorithms, user scripts, model servers) as processes. The local
 * executor spawns child processes; Docker and Kubernetes executors will implement the same port.
 */

/** One process to start: the program, its environment and where its output goes. */
export interface ProcessSpec {
  /** Names the process in logs, e.g. `my-job/algo-1`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the process (nothing is inherited beyond PATH, HOME and LANG). */
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr are appended here, line by line, as the job's log. */
  readonly logFile: string;
  /** Called with each complete line the process writes (stdout and stderr), e.g. for metrics. */
  readonly onLine?: (line: string) => void;
  /** No network at all (EnableNetworkIsolation): not even loopback to the server. */
  readonly isolateNetwork?: boolean;
  /**
   * The host's contract root, which the process then also sees at `/opt/ml`, as a container's
   * program does, so that code with hard-coded `/opt/ml/...` paths works unchanged. Best effort:
   * where the executor cannot show it there (the local executor needs Linux and util-linux
   * `unshare` allowed to make a mount namespace), it is ignored and the program finds the root
   * only through its environment (`SM_*`, `PLINTH_ML_ROOT`). Nothing is created at the real
   * `/opt/ml`.
   */
  readonly contractRoot?: string;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A started process. */
export interface RunningProcess {
  readonly pid: number;
  /** Resolves when the process has exited and its log is flushed. */
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still running; resolves on exit. */
  stop(graceMs: number): Promise<ProcessExit>;
}

export interface Executor {
  /** Starts the process; rejects if it cannot be started (e.g. the command does not exist). */
  start(spec: ProcessSpec): Promise<RunningProcess>;
}
