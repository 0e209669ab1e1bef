import { readFileSync } from 'node:fs';

/**
 * AWS API models (the service-2.json shapes botocore ships, without documentation), kept in
 * `packages/platform/models/`. They tell the front end each operation's input shape so requests
 * are validated exactly as AWS validates them. Regenerate with `scripts/import-api-models.mjs`.
 */
export type ApiModelName =
  | 'sagemaker'
  | 'sagemaker-runtime'
  | 'application-autoscaling'
  | 'sagemaker-featurestore-runtime'
  | 'logs';

export interface ShapeRef {
  readonly shape: string;
}

export interface Shape {
  readonly type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly union?: boolean;
  readonly exception?: boolean;
}

export interface Operation {
  readonly name: string;
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
}

export interface ApiModel {
  readonly metadata: {
    readonly targetPrefix?: string;
    readonly signingName?: string;
    readonly source: string;
  };
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

const cache = new Map<ApiModelName, ApiModel>();

/** Loads (once) the named AWS API model. */
export function loadApiModel(name: ApiModelName): ApiModel {
  let model = cache.get(name);
  if (!model) {
    // src/api/api-model and dist/api/api-model sit at the same depth below the package root.
    const url = new URL(`../../../models/${name}.json`, import.meta.url);
    model = JSON.parse(readFileSync(url, 'utf8')) as ApiModel;
    cache.set(name, model);
  }
  return model;
}
