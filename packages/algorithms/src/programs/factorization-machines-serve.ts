// The Factorization Machines inference program: `node dist/programs/factorization-machines-serve.js`,
// serving GET /ping and POST /invocations on SAGEMAKER_BIND_TO_PORT with the model from
// SM_MODEL_DIR or PLINTH_ML_ROOT/model. Exits 1 if the model cannot be loaded or the port cannot
// be bound.
import { runServeProgram } from '../factorization-machines/serve.js';
import { serveMain } from '../common/serve.js';

await serveMain('Factorization Machines', runServeProgram);
