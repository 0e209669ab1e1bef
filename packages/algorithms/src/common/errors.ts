/**
 * A hyperparameter that is missing, unknown or out of range. Its message names the
 * hyperparameter and the rule, because it becomes the training job's FailureReason.
 */
export class HyperparameterError extends Error {
  readonly code = 'HyperparameterError';

  constructor(message: string) {
    super(message);
    this.name = 'HyperparameterError';
  }
}

/** A job setup problem the user can fix (missing channel, unreadable config). */
export class JobConfigError extends Error {
  readonly code = 'JobConfigError';

  constructor(message: string) {
    super(message);
    this.name = 'JobConfigError';
  }
}
