// The Random Cut Forest inference program: `node dist/programs/randomcutforest-serve.js`, serving
// GET /ping and POST /invocations on SAGEMAKER_BIND_TO_PORT with the model from SM_MODEL_DIR or
// PLINTH_ML_ROOT/model. Exits 1 if the model cannot be loaded or the port cannot be bound.
import { serveMain } from '../common/serve.js';
import { runServeProgram } from '../randomcutforest/serve.js';

await serveMain('randomcutforest', runServeProgram);
