import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from '../../artifacts/object-store.js';

/** An incremental digest of a body; `digest` gives the raw bytes (big-endian for CRCs). */
export interface Checksummer {
  update(chunk: Buffer): void;
  digest(): Buffer;
}

/** The header (or trailer) name of each algorithm's value. */
export const CHECKSUM_HEADERS: Readonly<Record<ChecksumAlgorithm, string>> = {
  CRC32: 'x-amz-checksum-crc32',
  CRC32C: 'x-amz-checksum-crc32c',
  CRC64NVME: 'x-amz-checksum-crc64nvme',
  SHA1: 'x-amz-checksum-sha1',
  SHA256: 'x-amz-checksum-sha256',
};

/** The algorithm whose header or trailer is `name`, if any. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.trim().toLowerCase();
  return (Object.keys(CHECKSUM_HEADERS) as ChecksumAlgorithm[]).find(
    (a) => CHECKSUM_HEADERS[a] === lower,
  );
}

/** A fresh digest for `algorithm`. */
export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32': {
      let value = 0;
      return { update: (chunk) => (value = crc32(chunk, value)), digest: () => uint32(value) };
    }
    case 'CRC32C':
      return reflectedCrc32(CRC32C_TABLE);
    case 'CRC64NVME':
      return crc64Nvme();
    case 'SHA1':
    case 'SHA256': {
      const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (chunk) => hash.update(chunk), digest: () => hash.digest() };
    }
  }
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function crc32Table(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32C (Castagnoli), reflected polynomial. */
const CRC32C_TABLE = crc32Table(0x82f63b78);

function reflectedCrc32(table: Uint32Array): Checksummer {
  let crc = 0xffffffff;
  return {
    update: (chunk) => {
      for (const byte of chunk) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
    },
    digest: () => uint32(crc ^ 0xffffffff),
  };
}

/** CRC-64/NVME tables, kept as high and low 32-bit halves so the loop stays in small integers. */
const [CRC64_HI, CRC64_LO] = (() => {
  const polyHi = 0x9a6c9329;
  const polyLo = 0xac4bc9b5;
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (carry) {
        h = (h ^ polyHi) >>> 0;
        l = (l ^ polyLo) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  return [hi, lo];
})();

function crc64Nvme(): Checksummer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  return {
    update: (chunk) => {
      for (const byte of chunk) {
        const index = (lo ^ byte) & 0xff;
        lo = (((lo >>> 8) | (hi << 24)) ^ (CRC64_LO[index] ?? 0)) >>> 0;
        hi = ((hi >>> 8) ^ (CRC64_HI[index] ?? 0)) >>> 0;
      }
    },
    digest: () => {
      const out = Buffer.alloc(8);
      out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
      out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
      return out;
    },
  };
}
