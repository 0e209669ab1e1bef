import { ValidationError } from '../../core/errors.js';
import type { ListPage, Tag } from '../../store/metadata-store.js';
import { withValidCursor, type ServiceContext } from '../shared/resource-kind.js';
import { checkTags, MAX_TAGS_PER_RESOURCE } from './tag-rules.js';

/** SageMaker's ListTags page size when MaxResults is not given (its minimum is 50 too). */
export const DEFAULT_LIST_TAGS_MAX_RESULTS = 50;

/** AddTags, ListTags and DeleteTags on any resource Plinth stores, by ARN. */
export class TagService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Adds or overwrites tags; the resource's total may not pass 50. Returns the tags given. */
  async addTags(resourceArn: string, tags: readonly Tag[]): Promise<Tag[]> {
    const checked = checkTags(tags);
    await this.ctx.store.transaction(async (repos) => {
      await this.requireResource(resourceArn, repos.resources.getByArn.bind(repos.resources));
      await repos.tags.put(resourceArn, checked);
      const total = await repos.tags.count(resourceArn);
      if (total > MAX_TAGS_PER_RESOURCE) {
        throw new ValidationError(
          `Tags: a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this request would give ${resourceArn} ${total}`,
          'Tags',
        );
      }
    });
    return checked;
  }

  async listTags(
    resourceArn: string,
    page: { maxResults?: number; nextToken?: string },
  ): Promise<ListPage<Tag>> {
    await this.requireResource(
      resourceArn,
      this.ctx.store.resources.getByArn.bind(this.ctx.store.resources),
    );
    return withValidCursor(
      this.ctx.store.tags.list(resourceArn, {
        limit: page.maxResults ?? DEFAULT_LIST_TAGS_MAX_RESULTS,
        cursor: page.nextToken || undefined,
      }),
    );
  }

  async deleteTags(resourceArn: string, keys: readonly string[]): Promise<void> {
    await this.ctx.store.transaction(async (repos) => {
      await this.requireResource(resourceArn, repos.resources.getByArn.bind(repos.resources));
      await repos.tags.remove(resourceArn, keys);
    });
  }

  private async requireResource(
    arn: string,
    getByArn: (arn: string) => Promise<unknown>,
  ): Promise<void> {
    if (!(await getByArn(arn)))
      throw new ValidationError(`Could not find resource "${arn}".`, 'ResourceArn');
  }
}
