import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { loadApiModel } from './api-model.js';
import { compilePattern } from './patterns.js';
import { SerializationError, validateInput } from './validate-input.js';

const sagemaker = loadApiModel('sagemaker');

function problem(shape: string, value: unknown): string {
  try {
    validateInput(sagemaker, shape, value);
  } catch (error) {
    if (error instanceof ValidationError || error instanceof SerializationError)
      return `${error.name}: ${error.message}`;
    throw error;
  }
  return 'valid';
}

describe('validateInput against the SageMaker model', () => {
  it('accepts a full, valid request', () => {
    expect(
      problem('CreateModelInput', {
        ModelName: 'my-model-1',
        PrimaryContainer: { Image: 'img', Environment: { KEY: 'value' } },
        Tags: [{ Key: 'team', Value: 'ml' }],
        EnableNetworkIsolation: true,
        SomethingUnknown: 1,
      }),
    ).toBe('valid');
  });

  it('reports required members, patterns and lengths in AWS wording with camelCase paths', () => {
    expect(problem('CreateModelInput', {})).toBe(
      "ValidationError: 1 validation error detected: Value null at 'modelName' failed to satisfy constraint: Member must not be null",
    );
    expect(problem('CreateModelInput', { ModelName: '-bad' })).toBe(
      "ValidationError: 1 validation error detected: Value '-bad' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?",
    );
    expect(problem('CreateModelInput', { ModelName: 'ok', Tags: [{ Key: '', Value: 'v' }] })).toBe(
      "ValidationError: 1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('reports every violation, joined as AWS joins them', () => {
    const message = problem('ListModelsInput', { MaxResults: 0, SortOrder: 'Up' });
    expect(message).toBe(
      "ValidationError: 2 validation errors detected: Value 'Up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]; Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('raises SerializationError for JSON of the wrong type, naming where', () => {
    expect(problem('ListModelsInput', { MaxResults: '5' })).toBe(
      "SerializationError: Expected an integer at 'maxResults', got string",
    );
    expect(problem('CreateModelInput', { ModelName: 'm', PrimaryContainer: [] })).toBe(
      "SerializationError: Expected an object at 'primaryContainer', got a list",
    );
    expect(problem('ListModelsInput', { CreationTimeAfter: 'yesterday' })).toContain(
      "'creationTimeAfter'",
    );
    expect(
      problem('CreateModelInput', { ModelName: 'm', EnableNetworkIsolation: 'yes' }),
    ).toContain('a boolean');
  });

  it('counts length in characters, not UTF-16 units (𝒜 is one letter, two units)', () => {
    const tag = (value: string) =>
      problem('AddTagsInput', {
        ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/m',
        Tags: [{ Key: 'k', Value: value }],
      });
    expect(tag('𝒜'.repeat(256))).toBe('valid');
    expect(tag('𝒜'.repeat(257))).toContain('less than or equal to 256');
  });
});

describe('compilePattern', () => {
  it('compiles every pattern in the SageMaker model to an anchored RegExp', () => {
    const patterns = new Set(
      Object.values(sagemaker.shapes).flatMap((s) => (s.pattern ? [s.pattern] : [])),
    );
    const failed = [...patterns].filter((p) => compilePattern(p) === null);
    expect(failed).toEqual([]);
  });

  it('matches whole values only and translates Java-only syntax', () => {
    expect(compilePattern('[a-z]+')!.test('abc1')).toBe(false);
    expect(compilePattern('arn:[\\p{Alnum}\\-]+:x')!.test('arn:aws-cn:x')).toBe(true);
    expect(compilePattern('([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}')!.test('héllo wörld')).toBe(
      true,
    );
    expect(compilePattern('\\p{Print}+')!.test('invocations-per-instance 1')).toBe(true);
    expect(compilePattern('\\p{Print}+')!.test('tab\there')).toBe(false);
  });
});
