// The parsers and checks for `plinth invoke`'s flags. Parsers throw commander's
// InvalidArgumentError, which commander prints naming the flag and the value.
import { InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';

/** Where a request's body comes from: the text of --body, a file, or stdin (`--file -`). */
export type BodySource =
  { readonly text: string } | { readonly path: string } | { readonly stdin: true };

/** The path of an existing file, or `-` for stdin. */
export function parseBodyFile(text: string): string {
  if (text === '-') return text;
  const info = statSync(text, { throwIfNoEntry: false });
  if (!info) throw new InvalidArgumentError(`There is no file '${text}'.`);
  if (!info.isFile()) throw new InvalidArgumentError(`'${text}' is a folder, not a file.`);
  return text;
}

/** The body flags as commander parses them. */
export interface BodyFlags {
  readonly body?: string;
  readonly file?: string;
}

/** Where the body comes from; a message saying how to give one when the flags give none or two. */
export function chooseBodySource(flags: BodyFlags): BodySource | string {
  if (flags.body !== undefined && flags.file !== undefined)
    return 'give the request body once: either --body <text> or --file <path>';
  if (flags.body !== undefined) return { text: flags.body };
  if (flags.file === '-') return { stdin: true };
  if (flags.file !== undefined) return { path: flags.file };
  return "give the request body with --body '<text>', --file <path>, or --file - to read stdin";
}
