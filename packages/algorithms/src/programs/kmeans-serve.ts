// The k-means inference program: `node dist/programs/kmeans-serve.js`, serving GET /ping and
// POST /invocations on SAGEMAKER_BIND_TO_PORT with the model from SM_MODEL_DIR or
// PLINTH_ML_ROOT/model. Exits 1 if the model cannot be loaded or the port cannot be bound.
import { runServeProgram } from '../kmeans/serve.js';

const write = (line: string): void => void process.stdout.write(`${line}\n`);
try {
  const server = await runServeProgram(process.env, write);
  // The platform stops instances with SIGTERM; finish in-flight requests, then exit.
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} catch (error) {
  process.stderr.write(
    `k-means serve failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
