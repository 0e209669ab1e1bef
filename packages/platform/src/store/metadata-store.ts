/**
 * The metadata store: every SageMaker resource is one row (type, name, ARN, status, times and
 * its described shape as JSON), plus tags by ARN. Implemented by Kysely over SQLite and Postgres
 * (`store/kysely/`); services depend only on this port.
 */

/** One stored resource. `body` is the resource as DescribeX returns it, minus derived fields. */
export interface ResourceRecord {
  /** The ARN resource type: `model`, `endpoint-config`, `training-job`, ... */
  readonly resourceType: string;
  /** The name as the user gave it (lookups ignore case, as ARNs do). */
  readonly name: string;
  readonly arn: string;
  readonly status: string | null;
  readonly creationTime: Date;
  readonly lastModifiedTime: Date;
  readonly body: Record<string, unknown>;
}

export type SortBy = 'Name' | 'CreationTime' | 'Status' | 'LastModifiedTime';
export type SortOrder = 'Ascending' | 'Descending';

/**
 * A page request over one resource type. `...After` bounds are inclusive and `...Before` bounds
 * exclusive, as SageMaker documents its List filters ("creation time greater than or equal to").
 */
export interface ListQuery {
  readonly resourceType: string;
  /** Case-insensitive substring of the name. */
  readonly nameContains?: string;
  readonly creationTimeAfter?: Date;
  readonly creationTimeBefore?: Date;
  readonly lastModifiedTimeAfter?: Date;
  readonly lastModifiedTimeBefore?: Date;
  readonly statusEquals?: string;
  readonly sortBy: SortBy;
  readonly sortOrder: SortOrder;
  /** Page size, at least 1. */
  readonly limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string;
  /**
   * False when the caller needs only names, ARNs, status and times (List* summaries): bodies are
   * then not read and each record's `body` is empty. Default true.
   */
  readonly includeBody?: boolean;
}

export interface ListPage<T> {
  readonly items: T[];
  /** Present when more items follow; pass back as `cursor`. */
  readonly nextCursor?: string;
}

/** Changes to a stored resource; `lastModifiedTime` is always set by the caller. */
export interface ResourceChanges {
  readonly status?: string | null;
  readonly lastModifiedTime: Date;
  readonly body?: Record<string, unknown>;
}

/** Resources by type and name. Names are unique per type, ignoring case. */
export interface ResourceRepository {
  /** Stores a new resource; throws `DuplicateResourceError` if one of that type and name exists. */
  insert(record: ResourceRecord): Promise<void>;
  get(resourceType: string, name: string): Promise<ResourceRecord | undefined>;
  getByArn(arn: string): Promise<ResourceRecord | undefined>;
  /** Applies changes and returns the new record, or undefined if there is no such resource. */
  update(
    resourceType: string,
    name: string,
    changes: ResourceChanges,
  ): Promise<ResourceRecord | undefined>;
  /** Removes the resource and its tags; false if there was none. */
  delete(resourceType: string, name: string): Promise<boolean>;
  /** Throws `InvalidCursorError` when `cursor` did not come from this query's previous page. */
  list(query: ListQuery): Promise<ListPage<ResourceRecord>>;
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Tags by resource ARN. Keys are unique per resource; putting an existing key replaces its value. */
export interface TagRepository {
  put(arn: string, tags: readonly Tag[]): Promise<void>;
  /** Tags in key order. */
  list(arn: string, page: { limit: number; cursor?: string }): Promise<ListPage<Tag>>;
  count(arn: string): Promise<number>;
  remove(arn: string, keys: readonly string[]): Promise<void>;
}

/** The repositories, as seen inside or outside a transaction. */
export interface MetadataRepositories {
  readonly resources: ResourceRepository;
  readonly tags: TagRepository;
}

export interface MetadataStore extends MetadataRepositories {
  /** Runs `work` in one transaction: all of its changes land, or none do. */
  transaction<T>(work: (repos: MetadataRepositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A resource of that type and name already exists. */
export class DuplicateResourceError extends Error {
  constructor(
    readonly resourceType: string,
    readonly resourceName: string,
  ) {
    super(`${resourceType} '${resourceName}' already exists`);
    this.name = 'DuplicateResourceError';
  }
}

/** A pagination cursor that this store did not issue for this query. */
export class InvalidCursorError extends Error {
  constructor() {
    super('The pagination token is not valid for this request');
    this.name = 'InvalidCursorError';
  }
}
