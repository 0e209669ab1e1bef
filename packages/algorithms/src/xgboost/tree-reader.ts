import { type CategoricalSplits, type FlatTrees, MAX_CATEGORY } from './flat-trees.js';
import { SPLIT_CATEGORICAL } from './model-json.js';
import { ModelFormatError, integerParam, isObject, numberArray } from './json-checks.js';

/** What {@link flattenTrees} needs besides the trees. */
export interface TreeContext {
  /** JSON path of the `trees` array, for messages. */
  path: string;
  numFeature: number;
  numGroup: number;
}

/**
 * Checks the `trees` and `tree_info` of a gbtree model and lays them out in flat arrays.
 * Every reachable node must be a proper tree node (children in range, each reached once) and
 * split on a feature below `num_feature`; messages name the JSON path that is wrong.
 */
export function flattenTrees(trees: unknown, treeInfo: unknown, context: TreeContext): FlatTrees {
  const { path } = context;
  if (!Array.isArray(trees)) throw new ModelFormatError(`${path} must be an array of trees`);
  const infoPath = path.replace(/trees$/, 'tree_info');
  const group = Int32Array.from(numberArray(treeInfo, infoPath, trees.length));
  group.forEach((g, t) => {
    if (!Number.isInteger(g) || g < 0 || g >= context.numGroup)
      throw new ModelFormatError(
        `${infoPath}[${t}] is ${g}; tree groups must be integers from 0 to ${context.numGroup - 1}`,
      );
  });
  const sizes = trees.map((tree: unknown, t) => {
    if (!isObject(tree) || !isObject(tree.tree_param))
      throw new ModelFormatError(`${path}[${t}] must be a tree object with a tree_param`);
    const size = integerParam(tree.tree_param.num_nodes, `${path}[${t}].tree_param.num_nodes`);
    if (size < 1)
      throw new ModelFormatError(`${path}[${t}].tree_param.num_nodes must be at least 1`);
    return size;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const flat: FlatTrees = {
    count: trees.length,
    roots: new Int32Array(trees.length),
    children: new Int32Array(2 * total),
    feature: new Int32Array(total),
    value: new Float32Array(total),
    defaultRight: new Uint8Array(total),
    leaf: new Uint8Array(total),
    depth: new Int32Array(trees.length),
    group,
    maxDepth: 0,
  };
  const categories: CategoryList[] = [];
  let base = 0;
  trees.forEach((tree: Record<string, unknown>, t) => {
    flat.roots[t] = base;
    const range = { ...context, path: `${path}[${t}]`, base, size: sizes[t]! };
    const depth = copyTree(tree, { flat, categories }, range);
    flat.depth[t] = depth;
    flat.maxDepth = Math.max(flat.maxDepth, depth);
    base += sizes[t]!;
  });
  if (categories.length > 0) flat.categorical = packCategories(categories, total);
  return flat;
}

interface NodeRange extends TreeContext {
  base: number;
  size: number;
}

interface CategoryList {
  node: number;
  values: number[];
}

/** Copies one tree into the flat arrays at `range.base`; returns its depth. */
function copyTree(
  tree: Record<string, unknown>,
  into: { flat: FlatTrees; categories: CategoryList[] },
  range: NodeRange,
): number {
  const { flat, categories } = into;
  const { path, base, size } = range;
  const left = numberArray(tree.left_children, `${path}.left_children`, size);
  const right = numberArray(tree.right_children, `${path}.right_children`, size);
  const splitIndex = numberArray(tree.split_indices, `${path}.split_indices`, size);
  const condition = numberArray(tree.split_conditions, `${path}.split_conditions`, size);
  const defaultLeft = numberArray(tree.default_left, `${path}.default_left`, size);
  const splitType =
    tree.split_type === undefined
      ? undefined
      : numberArray(tree.split_type, `${path}.split_type`, size);
  const treeCategories = readCategories(tree, path);
  // Walk from the root so that only reachable nodes are checked (deleted nodes may linger).
  const seen = new Uint8Array(size);
  const stack: number[] = [0, 0]; // node, depth pairs
  let maxDepth = 0;
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const n = stack.pop()!;
    if (seen[n]) throw new ModelFormatError(`${path} is not a tree: node ${n} is reached twice`);
    seen[n] = 1;
    maxDepth = Math.max(maxDepth, depth);
    const g = base + n;
    flat.value[g] = condition[n]!;
    if (left[n] === -1) {
      if (right[n] !== -1)
        throw new ModelFormatError(
          `${path}: node ${n} has left child -1 but right child ${right[n]}`,
        );
      flat.feature[g] = 0;
      flat.leaf[g] = 1;
      flat.children[2 * g] = flat.children[2 * g + 1] = g;
      continue;
    }
    for (const child of [left[n]!, right[n]!])
      if (!Number.isInteger(child) || child <= 0 || child >= size)
        throw new ModelFormatError(
          `${path}: node ${n} has child ${child}; children must be node ids from 1 to ${size - 1}`,
        );
    const f = splitIndex[n]!;
    if (!Number.isInteger(f) || f < 0 || f >= range.numFeature)
      throw new ModelFormatError(
        `${path}: node ${n} splits on feature ${f}, but the model has num_feature=${range.numFeature}`,
      );
    flat.feature[g] = f;
    flat.defaultRight[g] = defaultLeft[n] ? 0 : 1;
    flat.children[2 * g] = base + left[n]!;
    flat.children[2 * g + 1] = base + right[n]!;
    if (splitType?.[n] === SPLIT_CATEGORICAL) {
      const values = treeCategories.get(n);
      if (values === undefined)
        throw new ModelFormatError(`${path}: categorical node ${n} is not in categories_nodes`);
      categories.push({ node: g, values });
    }
    stack.push(left[n]!, depth + 1, right[n]!, depth + 1);
  }
  return maxDepth;
}

/** A tree's categorical splits: node id to the categories that go right. */
function readCategories(tree: Record<string, unknown>, path: string): Map<number, number[]> {
  const byNode = new Map<number, number[]>();
  if (tree.categories_nodes === undefined) return byNode;
  const nodes = numberArray(tree.categories_nodes, `${path}.categories_nodes`);
  const segments = numberArray(
    tree.categories_segments,
    `${path}.categories_segments`,
    nodes.length,
  );
  const sizes = numberArray(tree.categories_sizes, `${path}.categories_sizes`, nodes.length);
  const values = numberArray(tree.categories, `${path}.categories`);
  nodes.forEach((node, k) => {
    const start = segments[k]!;
    const end = start + sizes[k]!;
    if (!(start >= 0 && end <= values.length && end >= start))
      throw new ModelFormatError(`${path}.categories_segments[${k}] points outside categories`);
    const set = values.slice(start, end);
    if (!set.every((c) => Number.isInteger(c) && c >= 0 && c < MAX_CATEGORY))
      throw new ModelFormatError(
        `${path}.categories for node ${node} must be integers from 0 to ${MAX_CATEGORY - 1}`,
      );
    byNode.set(node, set);
  });
  return byNode;
}

function packCategories(lists: CategoryList[], nodes: number): CategoricalSplits {
  const offset = new Int32Array(nodes);
  const words = new Int32Array(nodes);
  let total = 0;
  for (const { node, values } of lists) {
    offset[node] = total;
    words[node] = (values.reduce((a, b) => Math.max(a, b), 0) >>> 5) + 1;
    total += words[node];
  }
  const bits = new Uint32Array(total);
  for (const { node, values } of lists)
    for (const c of values) {
      const word = offset[node]! + (c >>> 5);
      bits[word] = bits[word]! | (1 << (c & 31));
    }
  return { offset, words, bits };
}
