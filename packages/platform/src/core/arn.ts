/** Where this Plinth pretends to live: ARNs carry these, as SageMaker's do. */
export interface AccountContext {
  readonly region: string;
  readonly accountId: string;
}

/**
 * The ARN of a SageMaker resource. SageMaker lower-cases the name part
 * (`arn:aws:sagemaker:us-east-1:123456789012:model/mymodel` for ModelName `MyModel`).
 */
export function sagemakerArn(account: AccountContext, resourceType: string, name: string): string {
  return `arn:aws:sagemaker:${account.region}:${account.accountId}:${resourceType}/${name.toLowerCase()}`;
}

/** The parts of a SageMaker ARN, or undefined when the text is not one. */
export function parseSagemakerArn(
  arn: string,
): { region: string; accountId: string; resourceType: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(arn);
  if (!match) return undefined;
  const [, region, accountId, resourceType, name] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { region, accountId, resourceType, name };
}
