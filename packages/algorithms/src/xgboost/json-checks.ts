/**
 * A model file that is not a valid xgboost JSON model; the message names the JSON path (e.g.
 * `learner.gradient_booster.model.trees[3].left_children`) and what is wrong with it.
 */
export class ModelFormatError extends Error {
  readonly code = 'ModelFormatError';

  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `path`, or a ModelFormatError saying it is missing. */
export function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) throw new ModelFormatError(`${path} must be an object`);
  return value;
}

/** An array of JSON numbers at `path`, of `length` entries when given. */
export function numberArray(value: unknown, path: string, length?: number): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number'))
    throw new ModelFormatError(`${path} must be an array of numbers`);
  if (length !== undefined && value.length !== length)
    throw new ModelFormatError(`${path} has ${value.length} entries; expected ${length}`);
  return value;
}

/** xgboost writes parameters as decimal strings ("5E-1"); this reads one as a number. */
export function numberParam(value: unknown, path: string): number {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(parsed))
    throw new ModelFormatError(
      `${path} must be a decimal number string, got ${JSON.stringify(value)}`,
    );
  return parsed;
}

/** A non-negative integer parameter written as a decimal string ("7"). */
export function integerParam(value: unknown, path: string): number {
  const parsed = numberParam(value, path);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new ModelFormatError(
      `${path} must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  return parsed;
}
