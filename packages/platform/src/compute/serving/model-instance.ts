import { createServer } from 'node:net';
import type { Executor, ProcessExit, RunningProcess } from '../executor.js';

/** SageMaker's default ContainerStartupHealthCheckTimeoutInSeconds is longer; locally a minute. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** How often a starting instance is asked `GET /ping`. */
const PING_INTERVAL_MS = 50;
/** SageMaker's containers must answer `GET /ping` within 2 seconds. */
const PING_TIMEOUT_MS = 2_000;

/** One model-server instance to start: its program, work directory and log. */
export interface ModelInstanceSpec {
  /** Names the process in logs, e.g. `my-endpoint/AllTraffic/1`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** The instance's contract root: the model is unpacked in `<root>/model`. */
  readonly root: string;
  /** Where the server starts: its contract root unless it needs its own folder (user code). */
  readonly cwd?: string;
  /** Extra environment (the Model's `Environment`); the inference contract's is added. */
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly startupTimeoutMs?: number;
}

/** A model server that answered its first `GET /ping`. */
export interface ModelInstance {
  /** `http://127.0.0.1:<port>`: `GET /ping` and `POST /invocations` are under it. */
  readonly url: string;
  readonly process: RunningProcess;
}

/**
 * Starts a model server on SageMaker's inference contract — the program listens on
 * `SAGEMAKER_BIND_TO_PORT`, finds the model in `SM_MODEL_DIR` (`/opt/ml/model`), answers
 * `GET /ping` with 200 once it can serve — and resolves once it does. Rejects, with the server
 * stopped, if it exits or does not answer in time; the message says which.
 */
export async function startModelInstance(
  executor: Executor,
  spec: ModelInstanceSpec,
): Promise<ModelInstance> {
  const port = await freePort();
  const process = await executor.start({
    name: spec.name,
    command: spec.command,
    args: spec.args,
    cwd: spec.cwd ?? spec.root,
    env: {
      ...spec.env,
      SAGEMAKER_BIND_TO_PORT: String(port),
      SAGEMAKER_SAFE_PORT_RANGE: `${port}-${port}`,
      SM_MODEL_DIR: `${spec.root}/model`,
      PLINTH_ML_ROOT: spec.root,
    },
    logFile: spec.logFile,
    contractRoot: spec.root,
  });
  const url = `http://127.0.0.1:${port}`;
  const problem = await awaitPing(url, {
    exited: process.exited,
    timeoutMs: spec.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
  });
  if (problem) {
    await process.stop(0);
    throw new Error(`The model server ${spec.name} ${problem}; see its log.`);
  }
  return { url, process };
}

/** Whether the model server at `url` answers `GET /ping` with 200 within `timeoutMs`. */
export async function ping(url: string, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  return fetch(`${url}/ping`, { signal: AbortSignal.timeout(timeoutMs) }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status === 200;
    },
    () => false,
  );
}

/** Undefined once `GET /ping` answers 200; otherwise what went wrong. */
async function awaitPing(
  url: string,
  until: { exited: Promise<ProcessExit>; timeoutMs: number },
): Promise<string | undefined> {
  let exit: ProcessExit | undefined;
  void until.exited.then((e) => (exit = e));
  const deadline = Date.now() + until.timeoutMs;
  while (Date.now() < deadline) {
    if (exit) {
      return `exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}) before it answered GET /ping`;
    }
    if (await ping(url)) return undefined;
    await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
  }
  return `did not answer GET /ping with 200 within ${Math.round(until.timeoutMs / 1000)} s`;
}

/** A loopback port nothing listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
