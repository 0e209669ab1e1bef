import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pids of an endpoint's model servers that are running now, from the pid files Plinth keeps
 * at `<data dir>/endpoints/<endpoint>/<variant>-<n>.pid`, for one variant (none before the
 * endpoint's first instance started).
 */
export function runningInstancePids(dataDir: string, endpoint: string, variant: string): number[] {
  const dir = join(dataDir, 'endpoints', endpoint);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.startsWith(`${variant}-`) && file.endsWith('.pid'))
    .flatMap((file) => {
      try {
        return [Number(readFileSync(join(dir, file), 'utf8'))];
      } catch {
        return []; // removed since the listing: that instance has stopped
      }
    })
    .filter(isRunning);
}

/** A process that exists and is not a zombie. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
