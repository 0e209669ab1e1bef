import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { parseS3Uri } from '../../artifacts/s3-uri.js';

/** A local folder and the object-store prefix it is copied to. */
export interface FolderLocation {
  /** `s3://bucket/prefix` */
  readonly uri: string;
  readonly dir: string;
}

/**
 * Copies a folder to the object store, as SageMaker copies checkpoints while a program runs and
 * processing outputs when it ends: each pass uploads every file that is new or changed (size or
 * modification time) since the last one to `<uri>/<path below the folder>`. Files deleted
 * locally stay in the store.
 */
export class FolderSync {
  readonly #uploaded = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly store: ObjectStore,
    private readonly location: FolderLocation,
  ) {}

  /** Passes every `intervalMs` until `stop`. A failed pass is retried on the next one. */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.sync().catch(() => undefined), intervalMs);
  }

  /** Ends the periodic passes and makes a last one; rejects if it could not upload. */
  async stop(): Promise<number> {
    clearInterval(this.#timer);
    return this.sync();
  }

  /** One pass (passes never overlap); resolves with the number of files uploaded. */
  sync(): Promise<number> {
    this.#running = this.#running.catch(() => 0).then(() => this.#pass());
    return this.#running;
  }

  async #pass(): Promise<number> {
    const { bucket, key } = parseS3Uri(this.location.uri, 'folder URI');
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    let uploaded = 0;
    for (const path of await listFiles(this.location.dir)) {
      const info = await stat(path).catch(() => undefined);
      if (!info) continue; // deleted since it was listed
      const version = `${info.size}:${info.mtimeMs}`;
      if (this.#uploaded.get(path) === version) continue;
      const name = relative(this.location.dir, path).split(sep).join('/');
      await this.store.putObject({
        bucket,
        key: prefix + name,
        body: createReadStream(path),
        contentLength: info.size,
      });
      this.#uploaded.set(path, version);
      uploaded += 1;
    }
    return uploaded;
  }
}

/** Every regular file below `dir`, at any depth. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
