import { spawn } from 'node:child_process';
import { isAbsolute, posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';

/**
 * gzipped tarballs through the system `tar` command: the npm `tar` package is not a dependency
 * of Plinth, and every machine SageMaker-style jobs run on has `tar` (SageMaker itself uses it).
 */
const TAR = 'tar';

/** Most stderr kept for an error message, so a failing tar cannot flood a FailureReason. */
const MAX_STDERR_CHARS = 2_000;

/**
 * Streams `dir`'s contents as a gzipped tarball with entries relative to `dir` (`./a`,
 * `./sub/b`), as `tar -czf - -C dir .`. The stream errors, rather than ends, if tar fails, so
 * a consumer such as `ObjectStore.putObject` stores nothing partial.
 */
export function createTarGz(dir: string): Readable {
  const child = spawn(TAR, ['-czf', '-', '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new PassThrough();
  const stderr = collect(child.stderr);
  child.stdout.pipe(out, { end: false });
  child.once('error', (error) => out.destroy(error));
  child.once('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`tar of ${dir} failed (exit ${code}): ${stderr()}`));
  });
  // A consumer that stops reading (its upload failed) should not leave tar running.
  out.once('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return out;
}

/** One entry of a tarball: its path and, for links, what it points to. */
export interface TarEntry {
  readonly path: string;
  readonly linkTarget?: string;
  readonly linkType?: 'symbolic' | 'hard';
}

/**
 * Extracts a gzipped tarball into `dest` after checking that no entry (nor link) would land
 * outside it; throws naming the first offending entry.
 */
export async function extractTarGz(file: string, dest: string): Promise<void> {
  for (const entry of await listTarGz(file)) {
    const problem = entryProblem(entry);
    if (problem) throw new Error(`The archive entry '${entry.path}' ${problem}.`);
  }
  await run(['-xzf', file, '-C', dest, '--no-same-owner']);
}

/** Lists a gzipped tarball's entries with link targets (GNU and BSD tar share the verbose form). */
export async function listTarGz(file: string): Promise<TarEntry[]> {
  // Names alone, one per line; the verbose listing, in the same order, tells links apart.
  const lines = (listing: string): string[] => listing.split('\n').filter((line) => line !== '');
  const [names, verbose] = await Promise.all([run(['-tzf', file]), run(['-tvzf', file])]);
  const verboseLines = lines(verbose);
  return lines(names).map((path, index) => {
    const line = verboseLines[index] ?? '';
    const type = line[0];
    const marker = type === 'l' ? ` ${path} -> ` : type === 'h' ? ` ${path} link to ` : undefined;
    if (!marker || !line.includes(marker)) return { path };
    const linkTarget = line.slice(line.indexOf(marker) + marker.length);
    return { path, linkTarget, linkType: type === 'l' ? 'symbolic' : 'hard' };
  });
}

function entryProblem(entry: TarEntry): string | undefined {
  if (escapes(entry.path)) return 'would be written outside the extraction directory';
  if (entry.linkTarget === undefined) return undefined;
  // Symlink targets are relative to the link's folder; hard link targets to the archive root.
  const base = entry.linkType === 'symbolic' ? posix.dirname(entry.path) : '.';
  if (isAbsolute(entry.linkTarget) || escapes(posix.join(base, entry.linkTarget))) {
    return `links outside the extraction directory (to '${entry.linkTarget}')`;
  }
  return undefined;
}

function escapes(path: string): boolean {
  if (path.startsWith('/') || isAbsolute(path)) return true;
  const normal = posix.normalize(path);
  return normal === '..' || normal.startsWith('../');
}

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(TAR, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = collect(child.stdout, Infinity);
    const stderr = collect(child.stderr);
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(stdout());
      else reject(new Error(`tar ${args[0] ?? ''} failed (exit ${code}): ${stderr()}`));
    });
  });
}

function collect(stream: Readable, limit = MAX_STDERR_CHARS): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (text.length < limit) text += chunk;
  });
  return () => text.trim().slice(0, limit);
}
