export { contractPaths } from './contract/paths.js';
export type { ContractPaths } from './contract/paths.js';
export * from './data/index.js';
