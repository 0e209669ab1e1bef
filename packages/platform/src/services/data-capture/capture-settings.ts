import { parseS3Uri, type S3Location } from '../../artifacts/s3-uri.js';

/** An endpoint configuration's DataCaptureConfig, as CreateEndpointConfig takes it. */
export interface DataCaptureConfig {
  EnableCapture?: boolean;
  InitialSamplingPercentage: number;
  DestinationS3Uri: string;
  KmsKeyId?: string;
  CaptureOptions: { CaptureMode: 'Input' | 'Output' | 'InputAndOutput' }[];
  CaptureContentTypeHeader?: { CsvContentTypes?: string[]; JsonContentTypes?: string[] };
}

/** What capturing an endpoint's traffic takes, read once from its configuration. */
export interface CaptureSettings {
  readonly samplingPercentage: number;
  readonly destination: S3Location;
  readonly input: boolean;
  readonly output: boolean;
  readonly csvTypes: ReadonlySet<string>;
  readonly jsonTypes: ReadonlySet<string>;
}

/** The settings a DataCaptureConfig asks for, or undefined when it captures nothing. */
export function captureSettings(
  config: DataCaptureConfig | undefined,
): CaptureSettings | undefined {
  if (!config || config.EnableCapture === false) return undefined;
  const modes = new Set(config.CaptureOptions.map((o) => o.CaptureMode));
  const types = config.CaptureContentTypeHeader ?? {};
  return {
    samplingPercentage: config.InitialSamplingPercentage,
    destination: parseS3Uri(config.DestinationS3Uri, 'DataCaptureConfig.DestinationS3Uri'),
    input: modes.has('Input') || modes.has('InputAndOutput'),
    output: modes.has('Output') || modes.has('InputAndOutput'),
    csvTypes: new Set((types.CsvContentTypes ?? []).map(baseType)),
    jsonTypes: new Set((types.JsonContentTypes ?? []).map(baseType)),
  };
}

/** `text/csv; charset=utf-8` -> `text/csv`. */
export function baseType(contentType: string): string {
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}
