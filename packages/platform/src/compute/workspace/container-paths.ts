import { join } from 'node:path';

/** The contract root a container sees; each host's work directory stands for it. */
export const CONTAINER_ROOT = '/opt/ml';

/**
 * True when `path` is an absolute folder strictly below `under` (itself below /opt/ml), with no
 * empty, `.` or `..` segments; one trailing slash is allowed.
 */
export function isBelow(path: string, under: string = CONTAINER_ROOT): boolean {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (!trimmed.startsWith(`${under}/`)) return false;
  const segments = trimmed.slice(under.length + 1).split('/');
  return segments.every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Where a container path below /opt/ml is in a host's work directory (`root`). */
export function hostPath(root: string, containerPath: string): string {
  if (!isBelow(containerPath)) return root;
  return join(root, containerPath.slice(CONTAINER_ROOT.length + 1));
}

/**
 * A command line with every argument that is a path below /opt/ml pointed at the host's work
 * directory instead, so `python3 /opt/ml/processing/input/code/run.py` runs without a container.
 */
export function toHostArgs(root: string, args: readonly string[]): string[] {
  return args.map((arg) => (isBelow(arg) ? hostPath(root, arg) : arg));
}
