// The XGBoost inference program: `node dist/programs/xgboost-serve.js`, serving GET /ping and
// POST /invocations on SAGEMAKER_BIND_TO_PORT with the JSON model in SM_MODEL_DIR or
// PLINTH_ML_ROOT/model. Exits 1 if the model cannot be loaded or the port cannot be bound.
import { serveMain } from '../common/serve.js';
import { runServeProgram } from '../xgboost/serve.js';

await serveMain('xgboost', runServeProgram);
