// SageMaker's XGBoost server is Python: it writes numbers with `str(float)` (CSV) and
// `json.dumps` (JSON). These helpers write the same text, so responses match byte for byte.

/**
 * `repr(float(x))` in Python 3: the shortest digits that read back to the same double (what
 * JavaScript also picks), in fixed notation with at least one decimal (`1.0`) when the decimal
 * exponent is in [-4, 16), else scientific with a signed two-digit exponent (`1e-05`,
 * `1.5e+16`); `nan`, `inf`, `-inf`.
 */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** A float as `json.dumps` writes it: `repr`, with NaN and infinities as `NaN`/`Infinity`. */
export function formatJsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return formatPythonFloat(x);
}

/** A Python value as `json.dumps` writes it: ints, floats, lists and dicts (`", "`, `": "`). */
export type PythonValue = PythonInt | number | readonly PythonValue[] | PythonDict;

/** An int (written without a decimal point), as opposed to a float. */
export interface PythonInt {
  int: number;
}

/** A dict, written with its keys in insertion order. */
export type PythonDict = { readonly [key: string]: PythonValue };

/** Writes a value as Python's `json.dumps` would (default separators). */
export function pythonJsonDumps(value: PythonValue): string {
  if (typeof value === 'number') return formatJsonFloat(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (isInt(value)) return String(value.int);
  const parts = Object.entries(value as PythonDict).map(
    ([key, item]) => `${JSON.stringify(key)}: ${pythonJsonDumps(item)}`,
  );
  return `{${parts.join(', ')}}`;
}

/** Writes a value as Python's `str()` would: floats by repr, lists as `[a, b]`. */
export function pythonStr(value: PythonValue): string {
  if (typeof value === 'number') return formatPythonFloat(value);
  if (Array.isArray(value)) return `[${value.map(pythonStr).join(', ')}]`;
  if (isInt(value)) return String(value.int);
  throw new TypeError('pythonStr writes numbers and lists only');
}

function isInt(value: PythonValue): value is PythonInt {
  return typeof value === 'object' && !Array.isArray(value) && 'int' in value;
}
