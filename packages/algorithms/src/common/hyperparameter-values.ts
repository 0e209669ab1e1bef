import { HyperparameterError } from './errors.js';

// Keys the SageMaker SDK or a tuning job adds to a built-in's hyperparameters: the SDK's
// estimators send force_dense, and tuning jobs inject the objective metric name.
const TOLERATED = new Set(['force_dense', '_tuning_objective_metric']);

/** Fails on a name that is neither the algorithm's nor one SageMaker's tooling adds. */
export function rejectUnknown(
  raw: Record<string, unknown>,
  algorithm: { name: string; known: ReadonlySet<string> },
): void {
  for (const name of Object.keys(raw))
    if (!algorithm.known.has(name) && !TOLERATED.has(name))
      throw new HyperparameterError(
        `Unknown hyperparameter '${name}'. ${algorithm.name} accepts: ${[...algorithm.known].join(', ')}.`,
      );
}

/**
 * A hyperparameter as text: SageMaker sends every value as a string, but numbers, booleans and
 * lists are accepted too. Undefined when absent.
 */
export function hyperparameterText(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  throw new HyperparameterError(`Hyperparameter '${name}' must be a string, got ${typeof value}.`);
}

/** Rule for {@link parseInteger}: the smallest (and largest) value, and the default if any. */
export interface IntegerRule {
  min: number;
  max?: number;
  fallback?: number;
}

/** Parses a plain decimal integer within the rule; missing without a fallback is an error. */
export function parseInteger(name: string, value: string | undefined, rule: IntegerRule): number {
  const kind =
    rule.max !== undefined
      ? `an integer from ${rule.min} to ${rule.max}`
      : rule.min === 0
        ? 'a non-negative integer'
        : 'a positive integer';
  if (value === undefined) {
    if (rule.fallback !== undefined) return rule.fallback;
    throw new HyperparameterError(`Missing required hyperparameter '${name}' (${kind}).`);
  }
  // Number('') is 0 and Number('1e3') is 1000; accept only plain decimal integers.
  const parsed = /^[+]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < rule.min || parsed > (rule.max ?? Infinity))
    throw new HyperparameterError(`Hyperparameter '${name}' must be ${kind}, got '${value}'.`);
  return parsed;
}

/** A positive integer or `auto` (the default when absent). */
export function parseIntegerOrAuto(name: string, value: string | undefined): number | 'auto' {
  if (value === undefined || value.toLowerCase() === 'auto') return 'auto';
  const parsed = /^[+]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new HyperparameterError(
      `Hyperparameter '${name}' must be a positive integer or 'auto', got '${value}'.`,
    );
  return parsed;
}

/** Bounds for {@link parseReal}; `above` and `below` are exclusive. */
export interface RealRule {
  min?: number;
  above?: number;
  max?: number;
  below?: number;
}

/** Parses a finite number within the rule's bounds. */
export function parseReal(name: string, value: string, rule: RealRule): number {
  const parsed = real(value, rule);
  if (parsed !== undefined) return parsed;
  throw new HyperparameterError(
    `Hyperparameter '${name}' must be ${describeReal(rule)}, got '${value}'.`,
  );
}

/** Like {@link parseReal}, but `auto` (any case) is also allowed. */
export function parseRealOrAuto(name: string, value: string, rule: RealRule): number | 'auto' {
  if (value.toLowerCase() === 'auto') return 'auto';
  const parsed = real(value, rule);
  if (parsed !== undefined) return parsed;
  throw new HyperparameterError(
    `Hyperparameter '${name}' must be 'auto' or ${describeReal(rule)}, got '${value}'.`,
  );
}

function real(value: string, rule: RealRule): number | undefined {
  const parsed = value === '' ? NaN : Number(value);
  const { min = -Infinity, above = -Infinity, max = Infinity, below = Infinity } = rule;
  const inside = parsed >= min && parsed > above && parsed <= max && parsed < below;
  return Number.isFinite(parsed) && inside ? parsed : undefined;
}

function describeReal(rule: RealRule): string {
  const bounds = [
    rule.min !== undefined ? `>= ${rule.min}` : '',
    rule.above !== undefined ? `> ${rule.above}` : '',
    rule.max !== undefined ? `<= ${rule.max}` : '',
    rule.below !== undefined ? `< ${rule.below}` : '',
  ].filter((b) => b !== '');
  return bounds.length > 0 ? `a number ${bounds.join(' and ')}` : 'a number';
}

/** `true` or `false` (any case), or `auto` when allowed. */
export function parseBoolean(name: string, value: string, allowAuto = false): boolean | 'auto' {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  if (allowAuto && lower === 'auto') return 'auto';
  throw new HyperparameterError(
    `Hyperparameter '${name}' must be ${allowAuto ? "'true', 'false' or 'auto'" : "'true' or 'false'"}, got '${value}'.`,
  );
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(
  name: string,
  value: string,
  choices: readonly T[],
): T {
  const found = choices.find((c) => c === value);
  if (found !== undefined) return found;
  throw new HyperparameterError(
    `Hyperparameter '${name}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got '${value}'.`,
  );
}
