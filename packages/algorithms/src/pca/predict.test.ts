import { describe, expect, it } from 'vitest';
import { InvocationError } from '../common/invocation.js';
import { RecordType, readRecordIO } from '../data/index.js';
import type { PcaModel } from './model.js';
import { formatProjections, project } from './predict.js';

// Components along rotated axes: e1 = (0.6, 0.8, 0), e2 = (0, 0, 1), largest variance first.
const model: PcaModel = {
  dim: 3,
  count: 2,
  subtractMean: true,
  mean: Float64Array.of(1, 2, 3),
  components: Float64Array.of(0.6, 0.8, 0, 0, 0, 1),
};

describe('project', () => {
  it("is (x - mean) · components, listed in SageMaker's order (largest variance last)", () => {
    const out = project(model, [Float32Array.of(4, 6, 3), Float32Array.of(1, 2, 8)]);
    // Row 1: x - mean = (3, 4, 0): 0.6·3 + 0.8·4 = 5 on e1, 0 on e2.
    // Row 2: x - mean = (0, 0, 5): 0 on e1, 5 on e2.
    expect(Array.from(out)).toEqual([0, 5, 5, 0]);
  });

  it('does not subtract the mean for a model trained with subtract_mean=false', () => {
    const out = project({ ...model, subtractMean: false }, [Float32Array.of(4, 6, 3)]);
    expect(Array.from(out)).toEqual([3, 0.6 * 4 + 0.8 * 6]);
  });

  it('rejects a record of another width with a 400 naming feature_dim', () => {
    const call = () => project(model, [Float32Array.of(1, 2, 3), Float32Array.of(1, 2)]);
    expect(call).toThrow(InvocationError);
    expect(call).toThrow('Record 1 has 2 features; this model expects feature_dim=3.');
  });
});

describe('formatProjections', () => {
  const projections = Float64Array.of(0.5, 2, -1, 3.25);
  const shape = { rows: 2, count: 2 };

  it('writes JSON and JSON Lines in the documented shapes', () => {
    const json = formatProjections(projections, { ...shape, accept: 'application/json' });
    expect(JSON.parse(json.toString())).toEqual({
      projections: [{ projection: [0.5, 2] }, { projection: [-1, 3.25] }],
    });
    const lines = formatProjections(projections, { ...shape, accept: 'application/jsonlines' });
    expect(lines.toString()).toBe('{"projection":[0.5,2]}\n{"projection":[-1,3.25]}\n');
  });

  it("writes RecordIO with a float32 'projection' tensor in each Record's label map", async () => {
    const body = formatProjections(projections, {
      ...shape,
      accept: 'application/x-recordio-protobuf',
    });
    const records: unknown[] = [];
    for await (const payload of readRecordIO(body))
      records.push(RecordType.toObject(RecordType.decode(payload)));
    expect(records).toEqual([
      { label: { projection: { float32_tensor: { values: [0.5, 2] } } } },
      { label: { projection: { float32_tensor: { values: [-1, 3.25] } } } },
    ]);
  });
});
