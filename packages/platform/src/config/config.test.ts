import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORT, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('fills the documented defaults: loopback, SQLite and local files under the data dir', () => {
    const config = loadConfig({ PLINTH_DATA_DIR: '/var/plinth' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      dataDir: '/var/plinth',
      databaseUrl: 'sqlite:/var/plinth/plinth.db',
      objectStoreUrl: 'file:///var/plinth/objects',
      region: 'us-east-1',
      accountId: '000000000000',
      accessKeys: [],
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets flags override the environment', () => {
    const config = loadConfig(
      { PLINTH_PORT: '9000', PLINTH_DATA_DIR: '/a' },
      { port: 0, dataDir: '/b' },
    );
    expect([config.port, config.dataDir]).toEqual([0, '/b']);
  });

  it('shares the whole machine among jobs unless told how many cores and MiB to use', () => {
    const whole = loadConfig({}).capacity;
    expect(whole.cpus).toBeGreaterThanOrEqual(1);
    expect(whole.memoryMiB).toBeGreaterThan(0);
    expect(loadConfig({ PLINTH_CPUS: '6', PLINTH_MEMORY_MIB: '4096' }).capacity).toEqual({
      cpus: 6,
      memoryMiB: 4096,
    });
  });

  it('reads access keys, one pair or a list', () => {
    expect(
      loadConfig({ PLINTH_ACCESS_KEY_ID: 'id', PLINTH_SECRET_ACCESS_KEY: 's' }).accessKeys,
    ).toEqual([{ accessKeyId: 'id', secretAccessKey: 's' }]);
    expect(loadConfig({ PLINTH_ACCESS_KEYS: 'a:1,b:2:3' }).accessKeys).toEqual([
      { accessKeyId: 'a', secretAccessKey: '1' },
      { accessKeyId: 'b', secretAccessKey: '2:3' },
    ]);
  });

  it('refuses bad values with a message naming the variable', () => {
    const bad: [NodeJS.ProcessEnv, string][] = [
      [{ PLINTH_PORT: '70000' }, 'PLINTH_PORT'],
      [{ PLINTH_PORT: 'http' }, 'PLINTH_PORT'],
      [{ PLINTH_HOST: '0.0.0.0' }, 'PLINTH_ACCESS_KEY_ID'],
      [{ PLINTH_ACCESS_KEY_ID: 'id' }, 'PLINTH_SECRET_ACCESS_KEY'],
      [{ PLINTH_ACCESS_KEYS: 'nocolon' }, 'PLINTH_ACCESS_KEYS'],
      [{ PLINTH_DATABASE_URL: 'mysql://x' }, 'PLINTH_DATABASE_URL'],
      [{ PLINTH_OBJECT_STORE: '/tmp/x' }, 'PLINTH_OBJECT_STORE'],
      [{ PLINTH_LOG_LEVEL: 'loud' }, 'PLINTH_LOG_LEVEL'],
      [{ PLINTH_ACCOUNT_ID: '12' }, 'PLINTH_ACCOUNT_ID'],
      [{ PLINTH_REGION: 'mars' }, 'PLINTH_REGION'],
      [{ PLINTH_CPUS: '0' }, 'PLINTH_CPUS'],
      [{ PLINTH_MEMORY_MIB: '1.5' }, 'PLINTH_MEMORY_MIB'],
    ];
    for (const [env, name] of bad) {
      expect(() => loadConfig(env), name).toThrow(ConfigError);
      expect(() => loadConfig(env), name).toThrow(name);
    }
  });

  it('maps SNS topics to notification webhooks, and refuses a malformed pair', () => {
    const topic = 'arn:aws:sns:us-east-1:000000000000:done';
    expect(loadConfig({}).notificationWebhooks).toEqual({});
    expect(
      loadConfig({
        PLINTH_NOTIFICATION_WEBHOOKS: `${topic}=http://127.0.0.1:9000/hook?x=1, ${topic}-2=https://example.com/h`,
      }).notificationWebhooks,
    ).toEqual({
      [topic]: 'http://127.0.0.1:9000/hook?x=1',
      [`${topic}-2`]: 'https://example.com/h',
    });
    for (const bad of [`${topic}`, `done=http://h/`, `${topic}=ftp://h/`]) {
      expect(() => loadConfig({ PLINTH_NOTIFICATION_WEBHOOKS: bad }), bad).toThrow(
        /PLINTH_NOTIFICATION_WEBHOOKS must be comma-separated <sns-topic-arn>=<http\(s\) URL> pairs/,
      );
    }
  });

  it('allows any host once keys are configured', () => {
    expect(
      loadConfig({
        PLINTH_HOST: '0.0.0.0',
        PLINTH_ACCESS_KEY_ID: 'i',
        PLINTH_SECRET_ACCESS_KEY: 's',
      }).host,
    ).toBe('0.0.0.0');
  });
});
