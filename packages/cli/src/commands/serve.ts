import type { Command } from 'commander';
import type { LogLevel } from '@plinth/platform';
import { ConfigError, loadConfig, type ConfigOverrides } from '@plinth/platform/config';

interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  objectStore?: string;
  logLevel?: string;
}

/** `plinth serve`: the control plane in this process until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the Plinth server (SageMaker API, runtime and S3-compatible objects on one port)',
    )
    .option(
      '-p, --port <port>',
      'port to listen on (env PLINTH_PORT, default 8766; 0 picks a free one)',
    )
    .option('--host <host>', 'address to bind (env PLINTH_HOST, default 127.0.0.1)')
    .option(
      '--data-dir <dir>',
      'where the embedded database and objects live (env PLINTH_DATA_DIR, default ./.plinth)',
    )
    .option('--database-url <url>', 'sqlite:<file> or postgres://... (env PLINTH_DATABASE_URL)')
    .option('--object-store <url>', 'file:///dir or s3:// (env PLINTH_OBJECT_STORE)')
    .option('--log-level <level>', 'debug, info, warn, error or silent (env PLINTH_LOG_LEVEL)')
    .action(async (flags: ServeFlags) => {
      let config;
      try {
        config = loadConfig(process.env, toOverrides(flags));
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`plinth serve: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
      // The server's code is loaded only to serve, so other commands start quickly.
      const { startPlinth } = await import('@plinth/platform');
      const server = await startPlinth(config);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function toOverrides(flags: ServeFlags): ConfigOverrides {
  const overrides: { -readonly [K in keyof ConfigOverrides]: ConfigOverrides[K] } = {};
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(`--port must be an integer from 0 to 65535, got '${flags.port}'.`);
    }
    overrides.port = port;
  }
  if (flags.host !== undefined) overrides.host = flags.host;
  if (flags.dataDir !== undefined) overrides.dataDir = flags.dataDir;
  if (flags.databaseUrl !== undefined) overrides.databaseUrl = flags.databaseUrl;
  if (flags.objectStore !== undefined) overrides.objectStoreUrl = flags.objectStore;
  if (flags.logLevel !== undefined) overrides.logLevel = flags.logLevel as LogLevel;
  return overrides;
}
