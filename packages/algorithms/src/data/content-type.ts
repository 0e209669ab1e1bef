import { DataFormatError } from './errors.js';

/** Content types built-in algorithms train on (a channel's `ContentType`). */
export const TRAINING_CONTENT_TYPES = ['text/csv', 'application/x-recordio-protobuf'] as const;
/**
 * LIBSVM content types (SageMaker's XGBoost trains and predicts on them; it accepts both
 * spellings). Not in {@link TRAINING_CONTENT_TYPES}: only algorithms that ask for them read them.
 */
export const LIBSVM_CONTENT_TYPES = ['text/libsvm', 'text/x-libsvm'] as const;
/** Content types built-in algorithms accept in an inference request. */
export const INFERENCE_CONTENT_TYPES = [
  ...TRAINING_CONTENT_TYPES,
  'application/json',
  'application/jsonlines',
] as const;

/** A parsed `Content-Type`: lower-cased media type and parameters such as `label_size`. */
export interface ContentType {
  mediaType: string;
  params: Record<string, string>;
}

/** Parses `text/csv; label_size=0` into `{ mediaType: 'text/csv', params: { label_size: '0' } }`. */
export function parseContentType(value: string): ContentType {
  const [type = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (part.trim() !== '') params[part.trim().toLowerCase()] = '';
      continue;
    }
    const raw = part.slice(eq + 1).trim();
    params[part.slice(0, eq).trim().toLowerCase()] =
      raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  }
  return { mediaType: type.trim().toLowerCase(), params };
}

/**
 * How many label columns a CSV channel has: its `label_size` parameter when given (SageMaker's
 * way to say "no label", e.g. `text/csv;label_size=0` for k-means), else the algorithm's default.
 */
export function csvLabelColumns(contentType: ContentType, fallback: 0 | 1): 0 | 1 {
  const given = contentType.params.label_size;
  if (given === undefined) return fallback;
  if (given === '0' || given === '1') return given === '0' ? 0 : 1;
  throw new DataFormatError(
    `Content type parameter label_size=${given} is not supported: use label_size=0 when the CSV has no label column, or label_size=1 (the default) when the first column is the label.`,
  );
}

/** The error for a content type an algorithm cannot read, phrased for a job's FailureReason. */
export function unsupportedContentType(
  value: string,
  supported: readonly string[] = TRAINING_CONTENT_TYPES,
): DataFormatError {
  return new DataFormatError(
    `Content type '${value}' is not supported by this algorithm. Set the channel's ContentType to one of: ${supported.join(', ')} (for CSV without a label column, use text/csv;label_size=0).`,
  );
}
