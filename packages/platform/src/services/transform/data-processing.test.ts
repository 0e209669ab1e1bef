import { describe, expect, it } from 'vitest';
import {
  filterInput,
  handlesEachAnswer,
  planDataProcessing,
  recordFormat,
  shapeOutput,
  splitAnswer,
} from './data-processing.js';

const b = (text: string) => Buffer.from(text);
const text = (buffers: Buffer[] | string) =>
  typeof buffers === 'string' ? buffers : buffers.map((x) => x.toString());

describe('DataProcessing', () => {
  it('reads formats from content types, parameters ignored', () => {
    expect(recordFormat('text/csv; charset=utf-8')).toBe('csv');
    expect(recordFormat('application/json')).toBe('json');
    expect(recordFormat('application/jsonlines')).toBe('jsonlines');
    expect(recordFormat('application/x-recordio-protobuf')).toBeUndefined();
    expect(recordFormat(undefined)).toBeUndefined();
  });

  it('does nothing per answer by default', () => {
    expect(handlesEachAnswer(planDataProcessing(undefined))).toBe(false);
    expect(handlesEachAnswer(planDataProcessing({ InputFilter: '$[1:]' }))).toBe(false);
    expect(handlesEachAnswer(planDataProcessing({ JoinSource: 'Input' }))).toBe(true);
    expect(handlesEachAnswer(planDataProcessing({ OutputFilter: '$[0]' }))).toBe(true);
  });

  it('drops an ID column from CSV input and joins it back with the prediction (the docs example)', () => {
    const plan = planDataProcessing({
      InputFilter: '$[1:]',
      JoinSource: 'Input',
      OutputFilter: '$[0,-1]',
    });
    const input = b('id-1,0.5,"a,b"');
    expect(filterInput(plan, 'csv', input).toString()).toBe('0.5,"a,b"');
    const out = shapeOutput(plan, {
      input,
      inputFormat: 'csv',
      answer: b('1'),
      answerFormat: 'csv',
    });
    expect(out.toString()).toBe('id-1,1');
  });

  it('appends all answer columns to a CSV input with JoinSource Input alone', () => {
    const plan = planDataProcessing({ JoinSource: 'Input' });
    const out = shapeOutput(plan, {
      input: b('1,2,3'),
      inputFormat: 'csv',
      answer: b('0,4.2'),
      answerFormat: 'csv',
    });
    expect(out.toString()).toBe('1,2,3,0,4.2');
    const json = shapeOutput(plan, {
      input: b('1,2'),
      inputFormat: 'csv',
      answer: b('{"label":1}'),
      answerFormat: 'json',
    });
    expect(json.toString()).toBe('1,2,"{""label"":1}"');
  });

  it('adds SageMakerOutput to a JSON object and keeps the fields OutputFilter names', () => {
    const plan = planDataProcessing({
      InputFilter: '$.features',
      JoinSource: 'Input',
      OutputFilter: "$['id','SageMakerOutput']",
    });
    const input = b('{"id":"r1","features":[1,2],"note":"x"}');
    expect(filterInput(plan, 'jsonlines', input).toString()).toBe('[1,2]');
    const out = shapeOutput(plan, {
      input,
      inputFormat: 'jsonlines',
      answer: b('{"closest_cluster":0}'),
      answerFormat: 'jsonlines',
    });
    expect(JSON.parse(out.toString())).toEqual({
      id: 'r1',
      SageMakerOutput: { closest_cluster: 0 },
    });
  });

  it('wraps a JSON input that is not an object in SageMakerInput', () => {
    const plan = planDataProcessing({ JoinSource: 'Input' });
    const out = shapeOutput(plan, {
      input: b('[1,2]'),
      inputFormat: 'json',
      answer: b('7'),
      answerFormat: 'json',
    });
    expect(JSON.parse(out.toString())).toEqual({ SageMakerInput: [1, 2], SageMakerOutput: 7 });
  });

  it('filters an answer alone when nothing is joined', () => {
    const plan = planDataProcessing({ OutputFilter: '$.closest_cluster' });
    const out = shapeOutput(plan, {
      input: b('ignored'),
      inputFormat: 'csv',
      answer: b('{"closest_cluster":1,"distance_to_cluster":0.3}'),
      answerFormat: 'jsonlines',
    });
    expect(out.toString()).toBe('1');
  });

  it('fails with the reason when a record cannot be read or filtered', () => {
    const plan = planDataProcessing({ InputFilter: '$.features' });
    expect(() => filterInput(plan, 'json', b('{not json'))).toThrow(/not valid JSON/);
    expect(() => filterInput(plan, 'json', b('{"x":1}'))).toThrow(/no field 'features'/);
    const csv = planDataProcessing({ InputFilter: '$[5]' });
    expect(() => filterInput(csv, 'csv', b('1,2'))).toThrow(/index 5 is outside/);
  });

  it('splits a batch answer into one answer per record', () => {
    expect(text(splitAnswer('csv', b('0,1.5\n1,0.2\n'), 2))).toEqual(['0,1.5', '1,0.2']);
    expect(text(splitAnswer('jsonlines', b('{"a":1}\r\n{"a":2}'), 2))).toEqual([
      '{"a":1}',
      '{"a":2}',
    ]);
    expect(text(splitAnswer('json', b('{"predictions":[{"a":1},{"a":2}]}'), 2))).toEqual([
      '{"a":1}',
      '{"a":2}',
    ]);
    expect(text(splitAnswer('json', b('[3,4]'), 2))).toEqual(['3', '4']);
    expect(text(splitAnswer('json', b('{"predictions":[1]}\n'), 1))).toEqual([
      '{"predictions":[1]}',
    ]);
  });

  it('says why an answer does not hold one item per record', () => {
    expect(splitAnswer('csv', b('0\n'), 2)).toBe('the model answered 1 lines for 2 records');
    expect(splitAnswer('json', b('{"a":[1],"b":[2]}'), 2)).toMatch(
      /does not hold one item per record/,
    );
    expect(splitAnswer('raw', b('xx'), 2)).toMatch(/cannot be split/);
  });
});
