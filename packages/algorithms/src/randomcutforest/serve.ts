import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import type { LogLine } from '../common/log.js';
import { type LoadedModel, runServeProgram as runServer } from '../common/serve.js';
import { ForestScorer } from './forest-scorer.js';
import { loadModel } from './model.js';
import { formatScores, scoreRequest } from './predict.js';
import { type ScoringForest, prepareScoring } from './scoring-forest.js';

/**
 * The Random Cut Forest model: `POST /invocations` answers each record's anomaly score, large
 * requests scored on every core.
 */
async function predictor(forest: ScoringForest): Promise<LoadedModel> {
  // Large requests are split over the cores; the workers live as long as the server.
  const scorer = new ForestScorer(forest, { threads: availableParallelism() });
  await scorer.started();
  return {
    predict: (rows, accept) => formatScores(scoreRequest(scorer, rows, forest.dim), accept),
    description: `Random Cut Forest model (num_trees=${forest.trees}, feature_dim=${forest.dim})`,
  };
}

/**
 * The Random Cut Forest serving program: loads `model.json` and `forest.bin` from `SM_MODEL_DIR`
 * or `<PLINTH_ML_ROOT>/model` and listens on `SAGEMAKER_BIND_TO_PORT` (default 8080).
 */
export function runServeProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<Server> {
  return runServer(env, write, async (modelDir) =>
    predictor(prepareScoring((await loadModel(modelDir)).forest)),
  );
}
