import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { describeObjectStoreContract } from '../object-store.suite.js';
import { FileObjectStore } from './file-object-store.js';

let root: string;
let store: FileObjectStore;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'plinth-file-store-'));
  store = new FileObjectStore(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describeObjectStoreContract('FileObjectStore', { store: () => store });
