// The Factorization Machines training program: `node dist/programs/factorization-machines-train.js`
// on a SageMaker contract root (PLINTH_ML_ROOT, default /opt/ml). Exit 0 with model/, or 1 with
// output/failure.
import { runTrainProgram } from '../factorization-machines/train.js';

process.exitCode = await runTrainProgram(process.env, (line) => process.stdout.write(`${line}\n`));
