// The XGBoost training program: `node dist/programs/xgboost-train.js` on a SageMaker contract
// root (PLINTH_ML_ROOT, default /opt/ml). Exit 0 with model/xgboost-model (xgboost's JSON model
// format), or 1 with output/failure.
import { runTrainProgram } from '../xgboost/train.js';

process.exitCode = await runTrainProgram(process.env, (line) => process.stdout.write(`${line}\n`));
