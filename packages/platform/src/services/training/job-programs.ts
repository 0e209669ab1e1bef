import type { BuiltinAlgorithm, ServerProgram } from './launch-plan.js';

/** A program to run: the executable and its leading arguments. */
export interface ProgramCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** Where the built-in algorithm programs are; an adapter knows the install layout. */
export interface ProgramCatalog {
  trainer(algorithm: BuiltinAlgorithm): ProgramCommand;
  /**
   * A model server on the inference contract: a built-in algorithm's (SageMaker's `serve`) or
   * the one for a model format (`onnx`).
   */
  server(program: ServerProgram): ProgramCommand;
}

/** What a script-mode job runs, prepared from its source tarball in the host's work directory. */
export interface ScriptLauncher {
  prepare(options: {
    root: string;
    hyperParameters: Readonly<Record<string, string>>;
    runtime: 'python' | 'node';
  }): Promise<ProgramCommand & { cwd: string; env: Readonly<Record<string, string>> }>;
}
