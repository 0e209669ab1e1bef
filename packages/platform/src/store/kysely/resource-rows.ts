import type { Selectable } from 'kysely';
import type { ResourceRecord } from '../metadata-store.js';
import type { ResourcesTable } from './schema.js';

/** A `resources` row as read back. */
export type ResourceRow = Selectable<ResourcesTable>;

/**
 * The case-folded form of a name or ARN. Folded in JavaScript rather than with SQL `lower()`,
 * which folds only ASCII in SQLite but the whole of Unicode in Postgres.
 */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/** The row that stores a record. */
export function toRow(record: ResourceRecord): ResourceRow {
  return {
    resource_type: record.resourceType,
    name: record.name,
    name_key: foldCase(record.name),
    arn: record.arn,
    arn_key: foldCase(record.arn),
    status: record.status,
    creation_time: record.creationTime.getTime(),
    last_modified_time: record.lastModifiedTime.getTime(),
    body: JSON.stringify(record.body),
  };
}

/** The record a row stores. */
export function toRecord(row: ResourceRow): ResourceRecord {
  return {
    resourceType: row.resource_type,
    name: row.name,
    arn: row.arn,
    status: row.status,
    // Number(): a Postgres pool without our int8 parser would hand back strings.
    creationTime: new Date(Number(row.creation_time)),
    lastModifiedTime: new Date(Number(row.last_modified_time)),
    body: JSON.parse(row.body) as Record<string, unknown>,
  };
}
