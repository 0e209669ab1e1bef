import { fileURLToPath } from 'node:url';
import type { BuiltinAlgorithm } from '../../services/training/launch-plan.js';
import type { ProgramCatalog, ProgramCommand } from '../../services/training/job-programs.js';

/**
 * Plinth's built-in algorithm programs as installed beside the platform: the @plinth/algorithms
 * package's compiled entry points, run with this Node. The platform launches them; it never
 * imports them.
 */
export class InstalledPrograms implements ProgramCatalog {
  trainer(algorithm: BuiltinAlgorithm): ProgramCommand {
    return { command: process.execPath, args: [entryPoint(`${algorithm}-train`)] };
  }

  server(algorithm: BuiltinAlgorithm): ProgramCommand {
    return { command: process.execPath, args: [entryPoint(`${algorithm}-serve`)] };
  }
}

function entryPoint(program: string): string {
  return fileURLToPath(import.meta.resolve(`@plinth/algorithms/programs/${program}`));
}
