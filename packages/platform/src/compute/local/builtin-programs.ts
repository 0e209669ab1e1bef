import { fileURLToPath } from 'node:url';
import type { BuiltinAlgorithm, ServerProgram } from '../../services/training/launch-plan.js';
import type { ProgramCatalog, ProgramCommand } from '../../services/training/job-programs.js';

/**
 * Plinth's built-in algorithm programs and model-format servers (`onnx-serve`) as installed
 * beside the platform: the @plinth/algorithms package's compiled entry points, run with this
 * Node. The platform launches them; it never imports them.
 */
export class InstalledPrograms implements ProgramCatalog {
  trainer(algorithm: BuiltinAlgorithm): ProgramCommand {
    return { command: process.execPath, args: [entryPoint(`${algorithm}-train`)] };
  }

  server(program: ServerProgram): ProgramCommand {
    return { command: process.execPath, args: [entryPoint(`${program}-serve`)] };
  }
}

function entryPoint(program: string): string {
  return fileURLToPath(import.meta.resolve(`@plinth/algorithms/programs/${program}`));
}
