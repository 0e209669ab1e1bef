// The ONNX model server: `node dist/programs/onnx-serve.js`, serving GET /ping and
// POST /invocations on SAGEMAKER_BIND_TO_PORT with the .onnx file from SM_MODEL_DIR or
// PLINTH_ML_ROOT/model, run by onnxruntime on the CPU. Exits 1 if the model cannot be loaded or
// the port cannot be bound.
import { serveMain } from '../common/serve.js';
import { runServeProgram } from '../onnx/serve.js';

await serveMain('ONNX', runServeProgram);
