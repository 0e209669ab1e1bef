import { join } from 'node:path';
import { ROOT, type Server, spawnServer } from './processes.js';

/**
 * Starts a built-in serve program (e.g. `knn-serve`) on a model directory as the platform does,
 * on a free loopback port; resolves once its "listening on port" log line is out.
 */
export async function startModelServer(program: string, modelDir: string): Promise<Server> {
  const entry = join(ROOT, 'packages/algorithms/dist/programs', `${program}.js`);
  return spawnServer(
    [entry],
    (line) => {
      const port = /listening on port (\d+)/.exec(line)?.[1];
      return port === undefined ? undefined : `http://127.0.0.1:${port}`;
    },
    { SM_MODEL_DIR: modelDir, SAGEMAKER_BIND_TO_PORT: '0' },
  );
}

/** One `POST /invocations`; resolves with the answer's text, rejects on any status but 200. */
export async function invokeModel(
  url: string,
  body: string,
  types: { contentType: string; accept: string },
): Promise<string> {
  const response = await fetch(`${url}/invocations`, {
    method: 'POST',
    headers: { 'Content-Type': types.contentType, Accept: types.accept },
    body,
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`POST /invocations answered ${response.status}: ${text.slice(0, 500)}`);
  return text;
}
