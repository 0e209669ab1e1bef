/**
 * Kysely's view of the metadata tables. Times are integer milliseconds since the epoch (`bigint`
 * in Postgres, parsed back to numbers by the pool's type parser); `body` is JSON text, so it
 * round-trips byte for byte on both dialects (Postgres `jsonb` would reorder keys).
 */

/** One row per SageMaker resource. */
export interface ResourcesTable {
  resource_type: string;
  name: string;
  /** `name` lower-cased in JavaScript, so both dialects fold case identically. */
  name_key: string;
  arn: string;
  /** `arn` lower-cased, for case-insensitive lookups by ARN. */
  arn_key: string;
  status: string | null;
  creation_time: number;
  last_modified_time: number;
  body: string;
}

/** Tags by the exact ARN text of the resource they belong to. */
export interface TagsTable {
  resource_arn: string;
  key: string;
  value: string;
}

/** The whole metadata database as Kysely sees it. */
export interface Database {
  resources: ResourcesTable;
  tags: TagsTable;
}

/** The SQL backends the Kysely store runs on; only migrations and connection setup differ. */
export type DialectName = 'sqlite' | 'postgres';
