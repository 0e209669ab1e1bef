import type { BuiltinAlgorithm } from './launch-plan.js';

/** A program to run: the executable and its leading arguments. */
export interface ProgramCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** Where the built-in algorithm programs are; an adapter knows the install layout. */
export interface ProgramCatalog {
  trainer(algorithm: BuiltinAlgorithm): ProgramCommand;
  /** The model server of the algorithm (SageMaker's `serve`), on the inference contract. */
  server(algorithm: BuiltinAlgorithm): ProgramCommand;
}

/** What a script-mode job runs, prepared from its source tarball in the host's work directory. */
export interface ScriptLauncher {
  prepare(options: {
    root: string;
    hyperParameters: Readonly<Record<string, string>>;
    runtime: 'python' | 'node';
  }): Promise<ProgramCommand & { cwd: string; env: Readonly<Record<string, string>> }>;
}
