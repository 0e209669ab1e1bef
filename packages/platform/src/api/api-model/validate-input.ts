import { ValidationError } from '../../core/errors.js';
import type { ApiModel, Shape } from './api-model.js';
import { compilePattern } from './patterns.js';

/** The request body does not have the types its shape needs (AWS: SerializationException). */
export class SerializationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerializationError';
  }
}

/** AWS lists at most this many constraint violations in one message. */
const MAX_REPORTED = 10;

/**
 * Validates a decoded JSON request against its input shape the way AWS's front end does:
 * wrong JSON types raise `SerializationError`; broken constraints (required, length, range,
 * pattern, enum) raise one `ValidationError` listing each, worded as AWS words them, e.g.
 * "1 validation error detected: Value 'a b' at 'modelName' failed to satisfy constraint:
 * Member must satisfy regular expression pattern: ...". Unknown members are ignored, as AWS does.
 */
export function validateInput(model: ApiModel, shapeName: string, value: unknown): void {
  const checker = new InputChecker(model);
  checker.check(model.shapes[shapeName], value, '');
  const { problems } = checker;
  if (problems.length > 0) {
    const noun = problems.length === 1 ? 'error' : 'errors';
    throw new ValidationError(
      `${problems.length} validation ${noun} detected: ${problems.slice(0, MAX_REPORTED).join('; ')}`,
    );
  }
}

/** Walks a value along its shape, collecting constraint violations and throwing on type errors. */
class InputChecker {
  readonly problems: string[] = [];

  constructor(private readonly model: ApiModel) {}

  check(shape: Shape | undefined, value: unknown, path: string): void {
    if (!shape || value === null || value === undefined) return;
    switch (shape.type) {
      case 'structure':
        return this.checkStructure(shape, value, path);
      case 'list':
        return this.checkList(shape, value, path);
      case 'map':
        return this.checkMap(shape, value, path);
      case 'string':
        return this.checkString(shape, value, path);
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value))
          throw typeError(path, 'an integer', value);
        return this.checkBounds(shape, { value, measure: value, path, what: 'value' });
      case 'float':
      case 'double':
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw typeError(path, 'a number', value);
        return this.checkBounds(shape, { value, measure: value, path, what: 'value' });
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(path, 'a boolean', value);
        return;
      case 'timestamp':
        if (!isTimestamp(value)) throw typeError(path, 'a timestamp (epoch seconds)', value);
        return;
      case 'blob':
        if (typeof value !== 'string') throw typeError(path, 'base64 text', value);
        return;
    }
  }

  private checkStructure(shape: Shape, value: unknown, path: string): void {
    if (!isPlainObject(value)) throw typeError(path, 'an object', value);
    for (const name of shape.required ?? []) {
      if (value[name] === undefined || value[name] === null) {
        this.problems.push(
          `Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`,
        );
      }
    }
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      this.check(this.model.shapes[ref.shape], value[name], join(path, name));
    }
  }

  private checkList(shape: Shape, value: unknown, path: string): void {
    if (!Array.isArray(value)) throw typeError(path, 'a list', value);
    this.checkBounds(shape, { value, measure: value.length, path, what: 'length' });
    const memberShape = shape.member ? this.model.shapes[shape.member.shape] : undefined;
    value.forEach((item, index) => this.check(memberShape, item, `${path}.${index + 1}.member`));
  }

  private checkMap(shape: Shape, value: unknown, path: string): void {
    if (!isPlainObject(value)) throw typeError(path, 'a map', value);
    const entries = Object.entries(value);
    this.checkBounds(shape, { value, measure: entries.length, path, what: 'length' });
    const keyShape = shape.key ? this.model.shapes[shape.key.shape] : undefined;
    const valueShape = shape.value ? this.model.shapes[shape.value.shape] : undefined;
    for (const [key, item] of entries) {
      this.check(keyShape, key, `${path}.key`);
      this.check(valueShape, item, `${path}.${key}`);
    }
  }

  private checkString(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'string') throw typeError(path, 'a string', value);
    this.checkBounds(shape, { value, measure: codePointLength(value), path, what: 'length' });
    if (shape.enum && !shape.enum.includes(value)) {
      this.problems.push(
        fail(value, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`),
      );
      return;
    }
    if (shape.pattern) {
      const regex = compilePattern(shape.pattern);
      if (regex && !regex.test(value)) {
        this.problems.push(
          fail(value, path, `Member must satisfy regular expression pattern: ${shape.pattern}`),
        );
      }
    }
  }

  /** min/max of a shape: on a list, map or string they bound its length, on a number its value. */
  private checkBounds(
    shape: Shape,
    item: { value: unknown; measure: number; path: string; what: 'length' | 'value' },
  ): void {
    if (shape.min !== undefined && item.measure < shape.min) {
      this.problems.push(
        fail(
          item.value,
          item.path,
          `Member must have ${item.what} greater than or equal to ${shape.min}`,
        ),
      );
    } else if (shape.max !== undefined && item.measure > shape.max) {
      this.problems.push(
        fail(
          item.value,
          item.path,
          `Member must have ${item.what} less than or equal to ${shape.max}`,
        ),
      );
    }
  }
}

function isTimestamp(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
  );
}

function fail(value: unknown, path: string, rule: string): string {
  return `Value '${render(value)}' at '${path}' failed to satisfy constraint: ${rule}`;
}

function typeError(path: string, expected: string, value: unknown): SerializationError {
  const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value;
  return new SerializationError(
    `Expected ${expected} at '${path || 'the request body'}', got ${got}`,
  );
}

/** AWS paths lower-case each member name's first letter: PrimaryContainer.Image -> primaryContainer.image */
function join(path: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return path ? `${path}.${name}` : name;
}

function render(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function codePointLength(text: string): number {
  // Only strings with surrogate pairs differ; avoid the array for the common case.
  return /[\uD800-\uDFFF]/.test(text) ? [...text].length : text.length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
