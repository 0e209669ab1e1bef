// The k-NN training program: `node dist/programs/knn-train.js` on a SageMaker contract root
// (PLINTH_ML_ROOT, default /opt/ml). Exit 0 with the model in model/, or 1 with output/failure.
import { runTrainProgram } from '../knn/train.js';

process.exitCode = await runTrainProgram(process.env, (line) => process.stdout.write(`${line}\n`));
