// The Random Cut Forest training program: `node dist/programs/randomcutforest-train.js` on a
// SageMaker contract root (PLINTH_ML_ROOT, default /opt/ml). Exit 0 with model/model.json and
// model/forest.bin, or 1 with output/failure.
import { runTrainProgram } from '../randomcutforest/train.js';

process.exitCode = await runTrainProgram(process.env, (line) => process.stdout.write(`${line}\n`));
