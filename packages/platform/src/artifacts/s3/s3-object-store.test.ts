import { afterAll, beforeAll } from 'vitest';
import { startS3TestServer, type S3TestServer } from '../../api/s3/s3-test-server.js';
import { describeObjectStoreContract } from '../object-store.suite.js';
import { S3ObjectStore } from './s3-object-store.js';

// The S3 adapter against a real S3-compatible server: Plinth's own S3 API over a file store.
let server: S3TestServer;
let store: S3ObjectStore;

beforeAll(async () => {
  server = await startS3TestServer();
  store = new S3ObjectStore(server.client());
});

afterAll(async () => {
  await server.close();
});

describeObjectStoreContract('S3ObjectStore', { store: () => store });
