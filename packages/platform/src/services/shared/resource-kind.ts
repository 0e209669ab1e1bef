import { sagemakerArn, type AccountContext } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import { ValidationError } from '../../core/errors.js';
import {
  DuplicateResourceError,
  InvalidCursorError,
  type ListPage,
  type ListQuery,
  type MetadataStore,
  type ResourceRecord,
  type SortBy,
  type SortOrder,
  type Tag,
} from '../../store/metadata-store.js';

/** The collaborators every resource service needs. */
export interface ServiceContext {
  readonly store: MetadataStore;
  readonly clock: Clock;
  readonly account: AccountContext;
}

/**
 * A List* request, already decoded: the store's filters (names, times, status, whether bodies
 * are needed), with SageMaker's names and optionality for sorting and paging.
 */
export type ListOptions = Omit<
  ListQuery,
  'resourceType' | 'sortBy' | 'sortOrder' | 'limit' | 'cursor'
> & {
  readonly sortBy?: SortBy;
  readonly sortOrder?: SortOrder;
  readonly maxResults?: number;
  readonly nextToken?: string;
};

/** SageMaker's list defaults: newest first, ten to a page. */
export const DEFAULT_SORT_BY: SortBy = 'CreationTime';
export const DEFAULT_SORT_ORDER: SortOrder = 'Descending';
export const DEFAULT_MAX_RESULTS = 10;

/**
 * Storage and SageMaker's wording for one resource type (`model`, `endpoint-config`, ...):
 * ARNs, "Cannot create already existing ..." and "Could not find ..." errors, list paging.
 * Resource services build on it so every type behaves the same way.
 */
export class ResourceKind {
  constructor(
    private readonly ctx: ServiceContext,
    /** The ARN resource type, e.g. `endpoint-config`. */
    readonly resourceType: string,
    /** How SageMaker's messages name the type, e.g. `endpoint configuration`. */
    readonly label: string,
  ) {}

  arn(name: string): string {
    return sagemakerArn(this.ctx.account, this.resourceType, name);
  }

  /**
   * Stores a new resource and its tags in one transaction. A name in use gets `duplicate(arn)`,
   * by default SageMaker's "Cannot create already existing ..." ValidationException.
   */
  async create(record: {
    name: string;
    status?: string | null;
    body: Record<string, unknown>;
    tags?: readonly Tag[];
    duplicate?: (arn: string) => Error;
  }): Promise<ResourceRecord> {
    const now = this.ctx.clock.now();
    const stored: ResourceRecord = {
      resourceType: this.resourceType,
      name: record.name,
      arn: this.arn(record.name),
      status: record.status ?? null,
      creationTime: now,
      lastModifiedTime: now,
      body: record.body,
    };
    try {
      await this.ctx.store.transaction(async (repos) => {
        await repos.resources.insert(stored);
        if (record.tags && record.tags.length > 0) await repos.tags.put(stored.arn, record.tags);
      });
    } catch (error) {
      if (error instanceof DuplicateResourceError) {
        throw (
          record.duplicate?.(stored.arn) ??
          new ValidationError(`Cannot create already existing ${this.label} "${stored.arn}".`)
        );
      }
      throw error;
    }
    return stored;
  }

  /** The resource, or SageMaker's "Could not find" ValidationException. */
  async get(name: string): Promise<ResourceRecord> {
    const record = await this.ctx.store.resources.get(this.resourceType, name);
    if (!record) throw this.notFound(name);
    return record;
  }

  async find(name: string): Promise<ResourceRecord | undefined> {
    return this.ctx.store.resources.get(this.resourceType, name);
  }

  /** Replaces the resource's status and body, stamping LastModifiedTime; not found -> the "Could not find" error. */
  async update(
    name: string,
    changes: { status: string; body: Record<string, unknown> },
  ): Promise<ResourceRecord> {
    const updated = await this.ctx.store.resources.update(this.resourceType, name, {
      ...changes,
      lastModifiedTime: this.ctx.clock.now(),
    });
    if (!updated) throw this.notFound(name);
    return updated;
  }

  async delete(name: string): Promise<void> {
    if (!(await this.ctx.store.resources.delete(this.resourceType, name)))
      throw this.notFound(name);
  }

  async list(options: ListOptions): Promise<ListPage<ResourceRecord>> {
    const { sortBy, sortOrder, maxResults, nextToken, ...filters } = options;
    return withValidCursor(
      this.ctx.store.resources.list({
        ...filters,
        resourceType: this.resourceType,
        sortBy: sortBy ?? DEFAULT_SORT_BY,
        sortOrder: sortOrder ?? DEFAULT_SORT_ORDER,
        limit: maxResults ?? DEFAULT_MAX_RESULTS,
        cursor: nextToken || undefined,
      }),
    );
  }

  notFound(name: string): ValidationError {
    return new ValidationError(`Could not find ${this.label} "${this.arn(name)}".`);
  }
}

/** Turns the store's InvalidCursorError into the ValidationException a client sees for a bad NextToken. */
export async function withValidCursor<T>(page: Promise<T>): Promise<T> {
  try {
    return await page;
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ValidationError(
        'Invalid pagination token: NextToken must come from a previous response to the same request',
        'NextToken',
      );
    }
    throw error;
  }
}
