import { join } from 'node:path';

/**
 * Where things live under the store's root folder. Buckets are folders named as the bucket;
 * everything else sits in dot-folders, which no valid bucket name can collide with:
 *
 *   <root>/<bucket>/...            object bytes (see key-paths.ts for how keys map to paths)
 *   <root>/.meta/<bucket>/...      one JSON sidecar per object, mirroring the bucket folder
 *   <root>/.buckets/<bucket>.json  creation date
 *   <root>/.uploads/<bucket>/<id>/ multipart uploads: upload.json, part-00001, part-00001.json
 *   <root>/.tmp/                   files being written, renamed into place when complete
 */
export class StoreLayout {
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, '.tmp');
  }

  bucketDir(bucket: string): string {
    return join(this.root, bucket);
  }

  metaDir(bucket: string): string {
    return join(this.root, '.meta', bucket);
  }

  bucketInfoFile(bucket: string): string {
    return join(this.root, '.buckets', `${bucket}.json`);
  }

  uploadsDir(bucket: string): string {
    return join(this.root, '.uploads', bucket);
  }

  uploadDir(bucket: string, uploadId: string): string {
    return join(this.uploadsDir(bucket), uploadId);
  }
}
