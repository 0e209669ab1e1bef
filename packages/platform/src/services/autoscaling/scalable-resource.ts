import { ValidationError } from '../../core/errors.js';
import { SAGEMAKER_NAMESPACE, VARIANT_INSTANCE_COUNT } from './autoscaling-types.js';

/** An endpoint variant, named as Application Auto Scaling's ResourceId names it. */
export interface VariantRef {
  readonly endpoint: string;
  readonly variant: string;
}

/** SageMaker's pattern for endpoint and variant names. */
const NAME = '[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}';
const VARIANT_RESOURCE = new RegExp(`^endpoint/(${NAME})/variant/(${NAME})$`);

/** ServiceNamespace must be `sagemaker`: the only resources Plinth scales are endpoint variants. */
export function checkNamespace(namespace: string): void {
  if (namespace !== SAGEMAKER_NAMESPACE) {
    throw new ValidationError(
      `Unsupported ServiceNamespace ${namespace}: Plinth scales SageMaker endpoint variants only, so ServiceNamespace must be ${SAGEMAKER_NAMESPACE}.`,
      'ServiceNamespace',
    );
  }
}

/** ScalableDimension, when given, must be the variants' instance count. */
export function checkDimension(dimension: string | undefined): void {
  if (dimension !== undefined && dimension !== VARIANT_INSTANCE_COUNT) {
    throw new ValidationError(
      `Unsupported ScalableDimension ${dimension}: Plinth scales ${VARIANT_INSTANCE_COUNT} only.`,
      'ScalableDimension',
    );
  }
}

/** The variant a ResourceId names, after checking the namespace and dimension with it. */
export function parseScalableResource(key: {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}): VariantRef {
  checkNamespace(key.ServiceNamespace);
  checkDimension(key.ScalableDimension);
  return parseResourceId(key.ResourceId);
}

/** `endpoint/<endpoint>/variant/<variant>`, or the ValidationException saying so. */
export function parseResourceId(resourceId: string): VariantRef {
  const match = VARIANT_RESOURCE.exec(resourceId);
  if (!match) {
    throw new ValidationError(
      `Unsupported ResourceId ${resourceId}: a SageMaker variant's is endpoint/<endpoint-name>/variant/<variant-name>.`,
      'ResourceId',
    );
  }
  return { endpoint: match[1]!, variant: match[2]! };
}
