import { readFile } from 'node:fs/promises';

/**
 * USER_HZ, the unit of the CPU times in /proc/<pid>/stat: 100 on every mainstream Linux build
 * (reading it would take `getconf CLK_TCK`, a process per scrape).
 */
const CLOCK_TICKS_PER_SECOND = 100;

/** A process's CPU time and resident memory, from /proc. */
export interface ProcessUsage {
  /** User plus system CPU seconds since the process started. */
  readonly cpuSeconds: number;
  /** Seconds since the process started. */
  readonly ageSeconds: number;
  readonly rssBytes: number;
}

/** The process's usage, or undefined when it is gone or /proc is not there (not Linux). */
export async function readProcessUsage(
  pid: number,
  procRoot = '/proc',
): Promise<ProcessUsage | undefined> {
  try {
    const [stat, status, uptime] = await Promise.all([
      readFile(`${procRoot}/${pid}/stat`, 'utf8'),
      readFile(`${procRoot}/${pid}/status`, 'utf8'),
      readFile(`${procRoot}/uptime`, 'utf8'),
    ]);
    // The command name (field 2) may hold spaces; the fields after its ')' do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const startTicks = Number(fields[19]);
    const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
    return {
      cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
      ageSeconds: Number(uptime.split(' ')[0]) - startTicks / CLOCK_TICKS_PER_SECOND,
      rssBytes: rssKiB * 1024,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPUUtilization as SageMaker reports it: the percentage of one core used, summed over cores
 * (a process busy on two cores shows 200), between two readings of the same process; at a
 * process's first reading, averaged over its life so far.
 */
export class CpuUtilization {
  readonly #last = new Map<number, { cpuSeconds: number; atMs: number }>();

  percent(pid: number, usage: ProcessUsage, nowMs: number): number {
    const last = this.#last.get(pid);
    this.#last.set(pid, { cpuSeconds: usage.cpuSeconds, atMs: nowMs });
    const [cpu, seconds] = last
      ? [usage.cpuSeconds - last.cpuSeconds, (nowMs - last.atMs) / 1000]
      : [usage.cpuSeconds, usage.ageSeconds];
    return seconds > 0 ? Math.max(0, (cpu / seconds) * 100) : 0;
  }

  /** Forgets processes no longer running. */
  keepOnly(pids: ReadonlySet<number>): void {
    for (const pid of this.#last.keys()) if (!pids.has(pid)) this.#last.delete(pid);
  }
}
