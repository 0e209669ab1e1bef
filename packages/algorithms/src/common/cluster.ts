import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How often a host waiting for the others looks for their results. */
const POLL_MS = 100;

/** This host's place in a job: its name, all hosts, and the folder they share. */
export interface Cluster {
  readonly host: string;
  readonly hosts: readonly string[];
  readonly shared: string;
}

/** The host that combines the others' work and writes the model: the first, as SageMaker's. */
export function isPrimary(cluster: Cluster): boolean {
  return cluster.host === cluster.hosts[0];
}

/**
 * Leaves this host's result under `name` for the primary host. The file appears whole or not at
 * all (written aside, then renamed), so a reader never sees half of it.
 */
export async function publish(
  cluster: Cluster,
  result: { name: string; bytes: Uint8Array },
): Promise<void> {
  const path = join(cluster.shared, `${result.name}.${cluster.host}`);
  await writeFile(`${path}.partial`, result.bytes);
  await rename(`${path}.partial`, path);
}

/**
 * The results every other host published under `name`, in host order, waiting until all are
 * there. A host that fails ends the job, and with it this wait.
 */
export async function gather(cluster: Cluster, name: string): Promise<Uint8Array[]> {
  const results: Uint8Array[] = [];
  for (const host of cluster.hosts.filter((h) => h !== cluster.host)) {
    const path = join(cluster.shared, `${name}.${host}`);
    for (;;) {
      const bytes = await readFile(path).catch(() => undefined);
      if (bytes) {
        results.push(bytes);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  return results;
}
