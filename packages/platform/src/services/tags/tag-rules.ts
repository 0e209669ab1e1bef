import { ValidationError } from '../../core/errors.js';
import type { Tag } from '../../store/metadata-store.js';

/** SageMaker allows at most 50 tags on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Rules SageMaker applies to tags beyond their shape: keys starting with `aws:` are reserved
 * and a key may appear only once in a request.
 */
export function checkTags(tags: readonly Tag[] | undefined, field = 'Tags'): Tag[] {
  const list = tags ?? [];
  const seen = new Set<string>();
  for (const tag of list) {
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw new ValidationError(
        `${field}: tag keys starting with 'aws:' are reserved for AWS use (got '${tag.Key}')`,
        field,
      );
    }
    if (seen.has(tag.Key))
      throw new ValidationError(`${field}: duplicate tag key '${tag.Key}'`, field);
    seen.add(tag.Key);
  }
  return [...list];
}
