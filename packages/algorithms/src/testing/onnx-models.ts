// Small ONNX models built in code with onnx-proto, for tests of the ONNX server (unit tests here
// and the e2e endpoint tests), so no binary model files are kept in the repository.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType codes of the element types the tests use. */
const ELEMENT_TYPES = { float32: 1, int32: 6, int64: 7, string: 8, bool: 9, float64: 11 } as const;
/** An element type by its onnxruntime name. */
export type TestElementType = keyof typeof ELEMENT_TYPES;

/** A graph input or output: a dimension is a size or a name for a free one (`n`). */
export interface TestValue {
  name: string;
  type: TestElementType;
  shape: (number | string)[];
}

/** A constant tensor of the graph (float32 or int64). */
export interface TestInitializer {
  name: string;
  type: 'float32' | 'int64';
  dims: number[];
  values: number[];
}

/** A whole graph: nodes in order (`op` is the ONNX operator, opset 13). */
export interface TestGraph {
  nodes: { op: string; inputs: string[]; outputs: string[] }[];
  initializers?: TestInitializer[];
  inputs: TestValue[];
  outputs: TestValue[];
}

/** The serialized ONNX model (what a model.onnx file holds) for a graph. */
export function buildOnnxModel(graph: TestGraph): Uint8Array {
  const value = (v: TestValue) => ({
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[v.type],
        shape: {
          dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ version: 13 }],
    producerName: 'plinth-tests',
    graph: {
      name: 'test',
      node: graph.nodes.map((n) => ({ opType: n.op, input: n.inputs, output: n.outputs })),
      initializer: (graph.initializers ?? []).map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: ELEMENT_TYPES[t.type],
        ...(t.type === 'float32' ? { floatData: t.values } : { int64Data: t.values }),
      })),
      input: graph.inputs.map(value),
      output: graph.outputs.map(value),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** `y = x · weights + bias`: input `x` float32 [n, weights.length], output `y` float32 [n, 1]. */
export function linearOnnxModel(weights: number[], bias: number): Uint8Array {
  return buildOnnxModel({
    nodes: [
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['y'] },
    ],
    initializers: [
      { name: 'w', type: 'float32', dims: [weights.length, 1], values: weights },
      { name: 'b', type: 'float32', dims: [1], values: [bias] },
    ],
    inputs: [{ name: 'x', type: 'float32', shape: ['n', weights.length] }],
    outputs: [{ name: 'y', type: 'float32', shape: ['n', 1] }],
  });
}

/**
 * Two inputs and two outputs: `sum = a + b` and `product = a * b`, each float32 [n, 2].
 */
export function sumAndProductOnnxModel(): Uint8Array {
  const pair = (name: string): TestValue => ({ name, type: 'float32', shape: ['n', 2] });
  return buildOnnxModel({
    nodes: [
      { op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] },
      { op: 'Mul', inputs: ['a', 'b'], outputs: ['product'] },
    ],
    inputs: [pair('a'), pair('b')],
    outputs: [pair('sum'), pair('product')],
  });
}

/** `next = ids + 1` on int64 ids [n, 2], so values beyond float32's exact integers show. */
export function incrementInt64OnnxModel(): Uint8Array {
  return buildOnnxModel({
    nodes: [{ op: 'Add', inputs: ['ids', 'one'], outputs: ['next'] }],
    initializers: [{ name: 'one', type: 'int64', dims: [1], values: [1] }],
    inputs: [{ name: 'ids', type: 'int64', shape: ['n', 2] }],
    outputs: [{ name: 'next', type: 'int64', shape: ['n', 2] }],
  });
}
