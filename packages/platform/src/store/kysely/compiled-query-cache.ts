import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Stands for the i-th parameter while a query is compiled once for its shape. */
export type Placeholder = string & { readonly __placeholder: unique symbol };

interface Template {
  readonly compiled: CompiledQuery;
  /** For each compiled parameter, the index of the value that fills it (undefined: a constant). */
  readonly slots: readonly (number | undefined)[];
}

const PREFIX = '\u0000plinth-parameter:';

/**
 * Compiled SQL by query shape. Kysely rebuilds and recompiles a query on every call, which was
 * a fifth of a DescribeModel request's CPU time; the store's queries come in a few fixed shapes
 * (which filters are present, which sort), so each shape is built once with placeholders and
 * then run with each call's values. A shape's SQL text depends only on the dialect, and each
 * store holds one dialect, so one cache serves a store and its transactions.
 */
export class CompiledQueryCache {
  readonly #templates = new Map<string, Template>();

  /**
   * Runs the query of shape `key` with `values`. `build` must produce the same SQL for the same
   * key whatever the placeholders stand for, using placeholder i where value i goes.
   */
  async execute<Row>(
    db: Kysely<Database>,
    shape: { key: string; values: readonly unknown[] },
    build: (placeholders: readonly Placeholder[]) => Compilable<Row>,
  ): Promise<Row[]> {
    let template = this.#templates.get(shape.key);
    if (!template) {
      template = compileTemplate(shape.values.length, build);
      this.#templates.set(shape.key, template);
    }
    const parameters = template.slots.map((slot, i) =>
      slot === undefined ? template.compiled.parameters[i] : shape.values[slot],
    );
    const result = await db.executeQuery<Row>({
      ...template.compiled,
      parameters,
    });
    return result.rows;
  }
}

function compileTemplate<Row>(
  count: number,
  build: (placeholders: readonly Placeholder[]) => Compilable<Row>,
): Template {
  const placeholders = Array.from({ length: count }, (_, i) => `${PREFIX}${i}` as Placeholder);
  const compiled = build(placeholders).compile();
  const slots = compiled.parameters.map((parameter) =>
    typeof parameter === 'string' && parameter.startsWith(PREFIX)
      ? Number(parameter.slice(PREFIX.length))
      : undefined,
  );
  const used = new Set(slots.filter((slot) => slot !== undefined));
  if (used.size !== count) {
    throw new Error(`A cached query's shape used ${used.size} of its ${count} parameters`);
  }
  return { compiled, slots };
}
