import type {
  DescribeEndpointCommandOutput,
  ProductionVariantSummary,
} from '@aws-sdk/client-sagemaker';
import { formatTable, formatTime } from '../output.js';

/**
 * An endpoint as a person reads it: its status and configuration, then a row per variant with
 * its weight, its share of the traffic and its instance count (`current -> desired` while an
 * update is under way) and the image it serves.
 */
export function formatEndpointSummary(endpoint: DescribeEndpointCommandOutput): string {
  const fields: [string, string | undefined][] = [
    ['Endpoint', endpoint.EndpointName],
    ['Status', endpoint.EndpointStatus],
    ['Failure reason', endpoint.FailureReason],
    ['Configuration', endpoint.EndpointConfigName],
    ['ARN', endpoint.EndpointArn],
    ['Created', formatTime(endpoint.CreationTime)],
    ['Last modified', formatTime(endpoint.LastModifiedTime)],
  ];
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length)) + 3;
  const header = shown.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
  const variants = endpoint.ProductionVariants ?? [];
  if (variants.length === 0) return [...header, '', 'No variants serving yet.'].join('\n');
  const total = variants.reduce((sum, v) => sum + (v.CurrentWeight ?? 0), 0);
  const rows = variants.map((v) => [
    v.VariantName ?? '',
    change(v.CurrentWeight, v.DesiredWeight),
    total > 0 ? `${Math.round(((v.CurrentWeight ?? 0) / total) * 1000) / 10}%` : '-',
    change(v.CurrentInstanceCount, v.DesiredInstanceCount),
    imageOf(v),
  ]);
  return [
    ...header,
    '',
    formatTable(['VARIANT', 'WEIGHT', 'TRAFFIC', 'INSTANCES', 'IMAGE'], rows),
  ].join('\n');
}

/** `2`, or `1 -> 2` while a value is on its way to another. */
function change(current: number | undefined, desired: number | undefined): string {
  const now = current === undefined ? '-' : String(current);
  return desired === undefined || desired === current ? now : `${now} -> ${desired}`;
}

function imageOf(variant: ProductionVariantSummary): string {
  const images = variant.DeployedImages ?? [];
  return images.map((i) => i.SpecifiedImage ?? i.ResolvedImage ?? '').join(', ') || '-';
}
