import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { Logger } from '../../logging/logger.js';
import { S3Error } from './s3-errors.js';
import { xmlDocument, type XmlElement } from './xml.js';

/** Everything an S3 operation handler needs about the request it answers. */
export interface S3Context {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly requestId: string;
  /** The region GetBucketLocation and HeadBucket report. */
  readonly region: string;
  /** '' for service-level requests (ListBuckets). */
  readonly bucket: string;
  /** '' for bucket-level requests. */
  readonly key: string;
  readonly query: URLSearchParams;
}

/** One S3 operation: reads the context, calls the store, writes the reply. */
export type S3Operation = (context: S3Context) => Promise<void>;

/** Where a path-style request points: `/bucket/key...`, percent-decoded. */
export interface S3Target {
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
}

/**
 * Splits a path-style URL (below the plugin's prefix) into bucket, key and query. The key is
 * everything after the bucket's `/`, taken from the raw URL so that `//`, `.` and `..` in keys
 * survive exactly as S3 keeps them.
 */
export function parseTarget(url: string): S3Target {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  const rest = path.startsWith('/') ? path.slice(1) : path;
  const slash = rest.indexOf('/');
  const rawBucket = slash < 0 ? rest : rest.slice(0, slash);
  const rawKey = slash < 0 ? '' : rest.slice(slash + 1);
  try {
    return { bucket: decodeURIComponent(rawBucket), key: decodeURIComponent(rawKey), query };
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** Sends an S3 XML document with status 200 (or `status`). */
export function sendXml(
  context: S3Context,
  document: { root: string; children: readonly XmlElement[] | string },
  status = 200,
): void {
  void context.reply
    .code(status)
    .header('content-type', 'application/xml')
    .send(xmlDocument(document.root, document.children));
}

/** Sends an empty answer with `status` (200 for writes, 204 for deletes). */
export function sendEmpty(context: S3Context, status: number): void {
  void context.reply.code(status).send();
}

/** The canonical user S3 reports as owner of everything: Plinth has a single account. */
export const OWNER: readonly XmlElement[] = [
  ['ID', '02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4'],
  ['DisplayName', 'plinth'],
];
