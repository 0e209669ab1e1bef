import type { ResourceRecord } from '../../store/metadata-store.js';
import type { ResourceKind } from './resource-kind.js';

/** Every resource of a kind in a status, page by page (for reconciling jobs at start-up). */
export async function* recordsWithStatus(
  kind: ResourceKind,
  status: string,
): AsyncGenerator<ResourceRecord> {
  let nextToken: string | undefined;
  do {
    const page = await kind.list({
      statusEquals: status,
      maxResults: 100,
      sortOrder: 'Ascending',
      ...(nextToken ? { nextToken } : {}),
    });
    yield* page.items;
    nextToken = page.nextCursor;
  } while (nextToken);
}
