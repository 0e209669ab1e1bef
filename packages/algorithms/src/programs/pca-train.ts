// The PCA training program: `node dist/programs/pca-train.js` on a SageMaker contract root
// (PLINTH_ML_ROOT, default /opt/ml). Exit 0 with model/model.json, or 1 with output/failure.
import { runTrainProgram } from '../pca/train.js';

process.exitCode = await runTrainProgram(process.env, (line) => process.stdout.write(`${line}\n`));
