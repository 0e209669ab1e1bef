import { parseHyperParameter } from '../workspace/contract-layout.js';

/**
 * The user hyperparameters (all but `sagemaker_*`) as `--name value` pairs, sorted by name, with
 * values unquoted from JSON and printed as the sagemaker-training toolkit's `to_cmd_args` prints
 * them with Python's `str()`: `"\"a\""` -> `a`, `true` -> `True`, `{"a": 1}` -> `a=1`.
 */
export function toCommandLineArgs(hyperParameters: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(hyperParameters)
    .filter((name) => !name.startsWith('sagemaker_'))
    .sort();
  return names.flatMap((name) => {
    const value = parseHyperParameter(hyperParameters[name] ?? '');
    return [`--${name}`, argValue(value)];
  });
}

function argValue(value: unknown): string {
  if (isRecord(value)) {
    return Object.keys(value)
      .sort()
      .map((key) => `${key}=${pythonStr(value[key])}`)
      .join(',');
  }
  return pythonStr(value);
}

/** Python's `str()` of a value parsed from JSON. */
function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr()` of a value parsed from JSON, as `str()` of a list or dict shows items. */
function pythonRepr(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isRecord(value)) {
    const items = Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  // Numbers: JSON and Python print them alike, except for exponents (1e-05 vs 1e-5).
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
