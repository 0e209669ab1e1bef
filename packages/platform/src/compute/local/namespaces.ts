import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** A machine that cannot set up a mount namespace in this long is not going to. */
const PROBE_TIMEOUT_MS = 10_000;

/** Whether processes can see their contract root at `/opt/ml` here, and if not, why. */
export type ContractRootSupport =
  { readonly supported: true } | { readonly supported: false; readonly reason: string };

/** The namespaces a program runs in; none means it is started as it is. */
export interface Namespaces {
  /** A network namespace with no interfaces up. */
  readonly isolateNetwork: boolean;
  /** An absolute directory to show at `/opt/ml` in a private mount namespace. */
  readonly contractRoot?: string | undefined;
}

/**
 * Runs in the new mount namespace as `sh -c SCRIPT sh <staging> <root> <program> <args...>` and
 * ends by exec-ing the program, so that its pid and process group are those the executor started.
 * It builds the new `/opt` on a tmpfs at the staging directory (each entry of the real `/opt`
 * bound back, so software installed there keeps working, plus `ml` bound to the root), then binds
 * that over `/opt`. Building it aside first keeps every path resolvable while it is built, even a
 * data directory under `/opt`; binding rather than `mount --move` because a user namespace may
 * not move mounts. Nothing is created outside the staging directory: without an `/opt` it fails.
 * Paths arrive as arguments, never in the script's text, so any character in them is safe.
 */
const SHOW_ROOT_AT_OPT_ML = [
  'set -eu',
  'stage=$1 root=$2',
  'shift 2',
  '[ -d /opt ] || { echo "there is no /opt to mount over" >&2; exit 1; }',
  'mount -t tmpfs -o mode=755 plinth-opt "$stage"',
  'for entry in /opt/* /opt/.[!.]* /opt/..?*; do',
  '  name=${entry##*/}',
  '  if [ "$name" = ml ]; then continue; fi',
  '  if [ -L "$entry" ]; then ln -s "$(readlink "$entry")" "$stage/$name"; continue; fi',
  '  if [ ! -e "$entry" ]; then continue; fi',
  '  if [ -d "$entry" ]; then mkdir "$stage/$name"; else : >"$stage/$name"; fi',
  '  mount --rbind "$entry" "$stage/$name"',
  'done',
  'mkdir "$stage/ml"',
  'mount --bind "$root" "$stage/ml"',
  'mount --rbind "$stage" /opt',
  'umount -l "$stage"',
  'exec "$@"',
].join('\n');

/**
 * The empty directory, beside a contract root, on which its namespace builds the new `/opt`. The
 * platform makes it before starting the program; it stays empty outside the namespace.
 */
export function stagingDir(contractRoot: string): string {
  return `${resolve(contractRoot)}.opt`;
}

/**
 * The command line that runs a program in the namespaces asked for, as one `unshare` (util-linux)
 * call. `unshare` and then `sh` exec the program in place (no `--fork`), so its pid and process
 * group stay the program's. Without root a user namespace is needed for the others.
 */
export function inNamespaces(
  command: string,
  args: readonly string[],
  namespaces: Namespaces,
): [string, string[]] {
  const { isolateNetwork, contractRoot } = namespaces;
  if (!isolateNetwork && contractRoot === undefined) return [command, [...args]];
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const mounting =
    contractRoot === undefined
      ? []
      : ['sh', '-c', SHOW_ROOT_AT_OPT_ML, 'sh', stagingDir(contractRoot), contractRoot];
  return [
    'unshare',
    [
      ...(asRoot ? [] : ['--map-root-user']),
      ...(isolateNetwork ? ['--net'] : []),
      ...(contractRoot === undefined ? [] : ['--mount', '--propagation', 'private']),
      '--',
      ...mounting,
      command,
      ...args,
    ],
  ];
}

/**
 * Tries, in a scratch directory, what `inNamespaces` does for a contract root, with a program that
 * checks a file of the root is at `/opt/ml`. Fails without Linux, util-linux `unshare`, or the
 * right to create the namespaces (e.g. a container without CAP_SYS_ADMIN).
 */
export async function probeContractRoot(
  env: Readonly<Record<string, string>>,
): Promise<ContractRootSupport> {
  if (process.platform !== 'linux') {
    return { supported: false, reason: `mount namespaces need Linux, not ${process.platform}` };
  }
  let scratch: string | undefined;
  try {
    scratch = await mkdtemp(join(tmpdir(), 'plinth-opt-ml-probe-'));
    const root = join(scratch, 'ml');
    await mkdir(stagingDir(root), { recursive: true });
    await mkdir(root);
    await writeFile(join(root, 'probe'), '');
    const [command, args] = inNamespaces('test', ['-f', '/opt/ml/probe'], {
      isolateNetwork: false,
      contractRoot: root,
    });
    await promisify(execFile)(command, args, { env, timeout: PROBE_TIMEOUT_MS });
    return { supported: true };
  } catch (error) {
    return { supported: false, reason: probeFailure(error) };
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

/** What the failed probe said: its last line of stderr, else how it could not run. */
function probeFailure(error: unknown): string {
  const { stderr, code } = error as { stderr?: unknown; code?: unknown };
  const said = typeof stderr === 'string' ? stderr.trim().split('\n').pop() : undefined;
  if (said) return said;
  if (code === 'ENOENT') return 'util-linux unshare is not installed';
  return error instanceof Error ? error.message : String(error);
}
