export { loadConfig, ConfigError, DEFAULT_PORT, isLoopbackOnly } from './config/config.js';
export type { Config, ConfigOverrides, AccessKey } from './config/config.js';
export { startPlinth } from './main.js';
export type { RunningPlinth, StartOptions } from './main.js';
export { createPinoLogger, silentLogger } from './logging/logger.js';
export type { Logger, LogLevel } from './logging/logger.js';
