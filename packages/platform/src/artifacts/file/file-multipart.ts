import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  EntityTooSmallError,
  InvalidArgumentError,
  InvalidPartError,
  InvalidPartOrderError,
  NoSuchUploadError,
} from '../errors.js';
import {
  MAX_PART_NUMBER,
  MIN_PART_SIZE,
  type CompletedPart,
  type ObjectWriteOptions,
  type PartInfo,
  type PutObjectResult,
  type UploadPartInput,
  type UploadRef,
} from '../object-store.js';
import {
  errorCode,
  identityOf,
  installFile,
  md5Etag,
  writeMeta,
  writeTempFile,
} from './blob-files.js';
import { keyToPathComponents } from './key-paths.js';
import { loadMeta, writeFields } from './object-files.js';
import type { StoreLayout } from './store-layout.js';

/** What the multipart code needs from the store that owns it. */
export interface MultipartHost {
  requireBucket(bucket: string): Promise<void>;
  writeObject(
    target: { bucket: string; key: string },
    write: { sources: readonly (() => Readable)[]; options: ObjectWriteOptions; etag: string },
  ): Promise<PutObjectResult>;
}

interface UploadManifest {
  readonly key: string;
  readonly options: ObjectWriteOptions;
  readonly initiated: string;
}

const UPLOAD_FILE = 'upload.json';
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Multipart uploads of the file store: each upload is a folder of part files with sidecars;
 * completing one concatenates the named parts into a temp file that replaces the object.
 */
export class FileMultipart {
  constructor(
    private readonly layout: StoreLayout,
    private readonly host: MultipartHost,
  ) {}

  async create(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    await this.host.requireBucket(bucket);
    keyToPathComponents(key);
    const uploadId = randomBytes(24).toString('base64url');
    const dir = this.layout.uploadDir(bucket, uploadId);
    await mkdir(dir, { recursive: true });
    const manifest: UploadManifest = {
      key,
      options: writeFields(options),
      initiated: new Date().toISOString(),
    };
    await writeFile(join(dir, UPLOAD_FILE), JSON.stringify(manifest));
    return uploadId;
  }

  async uploadPart(input: UploadPartInput): Promise<{ etag: string; size: number }> {
    const dir = await this.openUpload(input);
    assertPartNumber(input.partNumber);
    const temp = await writeTempFile(this.layout.tmpDir, [() => input.body]);
    const name = partName(input.partNumber);
    try {
      if (!(await installFile(temp.path, dir, [name]))) throw new NoSuchUploadError(input.uploadId);
    } catch (error) {
      await rm(temp.path, { force: true });
      // The upload folder vanished under us: it was completed or aborted meanwhile.
      throw errorCode(error) === 'ENOENT' ? new NoSuchUploadError(input.uploadId) : error;
    }
    const etag = `"${temp.md5.toString('hex')}"`;
    await writeMeta(
      this.layout.tmpDir,
      { base: dir, components: [`${name}.json`] },
      { etag, ...identityOf(temp.stats) },
    );
    return { etag, size: temp.size };
  }

  async listParts(upload: UploadRef): Promise<PartInfo[]> {
    const dir = await this.openUpload(upload);
    const names = (await readdir(dir)).filter((n) => /^part-\d{5}$/.test(n)).sort();
    const parts = await Promise.all(names.map((name) => this.describePart(dir, name)));
    return parts.filter((p): p is PartInfo => p !== undefined);
  }

  async complete(upload: UploadRef, requested: readonly CompletedPart[]): Promise<PutObjectResult> {
    const dir = await this.openUpload(upload);
    const manifest = await this.readManifest(upload);
    if (requested.length === 0) throw new InvalidPartError('You must specify at least one part.');
    const uploaded = new Map((await this.listParts(upload)).map((p) => [p.partNumber, p]));
    const chosen: PartInfo[] = [];
    let previous = 0;
    for (const part of requested) {
      if (part.partNumber <= previous) throw new InvalidPartOrderError();
      previous = part.partNumber;
      const found = uploaded.get(part.partNumber);
      if (!found || unquote(found.etag) !== unquote(part.etag)) {
        throw invalidPart(part.partNumber);
      }
      chosen.push(found);
    }
    chosen.forEach((part, index) => {
      if (index < chosen.length - 1 && part.size < MIN_PART_SIZE)
        throw new EntityTooSmallError(part.partNumber, part.size);
    });
    const md5s = createHash('md5');
    for (const part of chosen) md5s.update(Buffer.from(unquote(part.etag), 'hex'));
    const etag = `"${md5s.digest('hex')}-${chosen.length}"`;
    const result = await this.host.writeObject(upload, {
      sources: chosen.map((part) => () => createReadStream(join(dir, partName(part.partNumber)))),
      options: manifest.options,
      etag,
    });
    await rm(dir, { recursive: true, force: true });
    return { etag: result.etag, size: result.size };
  }

  async abort(upload: UploadRef): Promise<void> {
    const dir = await this.openUpload(upload);
    await rm(dir, { recursive: true, force: true });
  }

  /** The folder of an open upload of this bucket and key; `NoSuchUpload` otherwise. */
  private async openUpload(upload: UploadRef): Promise<string> {
    await this.host.requireBucket(upload.bucket);
    await this.readManifest(upload);
    return this.layout.uploadDir(upload.bucket, upload.uploadId);
  }

  private async readManifest(upload: UploadRef): Promise<UploadManifest> {
    // The id comes from the client and becomes a folder name: only our own alphabet passes.
    if (!UPLOAD_ID.test(upload.uploadId)) throw new NoSuchUploadError(upload.uploadId);
    let manifest: UploadManifest;
    try {
      const path = join(this.layout.uploadDir(upload.bucket, upload.uploadId), UPLOAD_FILE);
      manifest = JSON.parse(await readFile(path, 'utf8')) as UploadManifest;
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || error instanceof SyntaxError)
        throw new NoSuchUploadError(upload.uploadId);
      throw error;
    }
    if (manifest.key !== upload.key) throw new NoSuchUploadError(upload.uploadId);
    return manifest;
  }

  private async describePart(dir: string, name: string): Promise<PartInfo | undefined> {
    const data = join(dir, name);
    let stats;
    try {
      stats = await stat(data);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    const meta = await loadMeta({ data, meta: `${data}.json` }, stats, {
      tmpDir: this.layout.tmpDir,
      hash: () => md5Etag(data),
    });
    return {
      partNumber: Number(name.slice(5)),
      etag: meta.etag,
      size: stats.size,
      lastModified: stats.mtime,
    };
  }
}

function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new InvalidArgumentError(
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`,
      'partNumber',
    );
  }
}

function partName(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}`;
}

function unquote(etag: string): string {
  return etag.replace(/^"+|"+$/g, '').toLowerCase();
}

function invalidPart(partNumber: number): InvalidPartError {
  return new InvalidPartError(
    `One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag (part ${partNumber}).`,
    partNumber,
  );
}
