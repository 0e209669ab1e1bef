import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareUtf8 } from '../keys.js';
import { errorCode } from './blob-files.js';
import { decodeEntry, type KeyPathEntry } from './key-paths.js';

/** A key found in a bucket folder and the data file that holds it. */
export interface WalkedKey {
  readonly key: string;
  readonly path: string;
}

/**
 * Which keys a walk yields. `skipPrefix` may be changed by the consumer between yields (to
 * roll keys up into a common prefix): the walk then no longer descends into that prefix.
 */
export interface WalkBounds {
  readonly prefix: string;
  readonly after?: string;
  skipPrefix?: string;
}

interface Candidate {
  readonly entry: KeyPathEntry;
  readonly name: string;
  /** The key (file) or the string every key below starts with (directories). */
  readonly start: string;
}

/**
 * Yields the keys stored under `dir` in UTF-8 binary order, reading directories lazily and
 * never descending into one whose keys are all outside `bounds`, so a page of a listing costs
 * the directories it touches rather than the whole bucket. No sidecar is read.
 */
export async function* walkKeys(
  dir: string,
  keyPrefix: string,
  bounds: WalkBounds,
): AsyncGenerator<WalkedKey> {
  const candidates = await readCandidates(dir, keyPrefix, bounds);
  if (candidates.some((c) => c.entry.kind === 'continuation')) {
    // A continued (over-long) segment's keys may interleave with its siblings': sort them all.
    const all: WalkedKey[] = [];
    for (const candidate of candidates) {
      for await (const found of expand(dir, candidate, bounds)) all.push(found);
    }
    all.sort((a, b) => compareUtf8(a.key, b.key));
    for (const found of all) if (!skipped(found.key, bounds)) yield found;
    return;
  }
  candidates.sort((a, b) => compareUtf8(a.start, b.start));
  for (const candidate of candidates) {
    if (skipped(candidate.start, bounds)) continue;
    yield* expand(dir, candidate, bounds);
  }
}

/** Whether some key below `dir` exists (empty directories left behind do not count). */
export async function hasAnyKey(dir: string): Promise<boolean> {
  for await (const _ of walkKeys(dir, '', { prefix: '' })) return true;
  return false;
}

async function* expand(
  dir: string,
  candidate: Candidate,
  bounds: WalkBounds,
): AsyncGenerator<WalkedKey> {
  const path = join(dir, candidate.name);
  if (candidate.entry.kind === 'file') yield { key: candidate.start, path };
  else yield* walkKeys(path, candidate.start, bounds);
}

async function readCandidates(
  dir: string,
  keyPrefix: string,
  bounds: WalkBounds,
): Promise<Candidate[]> {
  let dirents;
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // Pruned by a concurrent delete, or the bucket itself is gone: nothing to list here.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
    throw error;
  }
  const candidates: Candidate[] = [];
  for (const dirent of dirents) {
    if (!dirent.isFile() && !dirent.isDirectory()) continue;
    const entry = decodeEntry(dirent.name, dirent.isDirectory());
    if (!entry) continue;
    const start = keyPrefix + entry.piece + (entry.kind === 'dir' ? '/' : '');
    if (inBounds(entry, start, bounds)) candidates.push({ entry, name: dirent.name, start });
  }
  return candidates;
}

function inBounds(entry: KeyPathEntry, start: string, bounds: WalkBounds): boolean {
  const { prefix, after } = bounds;
  if (entry.kind === 'file') {
    return start.startsWith(prefix) && (after === undefined || compareUtf8(start, after) > 0);
  }
  // A directory holds keys that start with `start` (and, for a continuation, are longer).
  if (!start.startsWith(prefix) && !prefix.startsWith(start)) return false;
  if (after === undefined) return true;
  return compareUtf8(start, after) > 0 || after.startsWith(start);
}

function skipped(start: string, bounds: WalkBounds): boolean {
  return bounds.skipPrefix !== undefined && start.startsWith(bounds.skipPrefix);
}
