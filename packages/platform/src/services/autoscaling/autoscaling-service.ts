import type { IdGenerator } from '../../core/ids.js';
import { ResourceNotFoundError, ValidationError } from '../../core/errors.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import type { ServiceContext } from '../shared/resource-kind.js';
import { toStoredBody } from '../shared/stored-body.js';
import { ActivityLog, type ActivityPage } from './activity-log.js';
import {
  allRecords,
  autoscalingKinds,
  childName,
  childPrefix,
  policyFromStored,
  targetFromStored,
  targetName,
  type AutoscalingKinds,
} from './autoscaling-records.js';
import {
  SAGEMAKER_NAMESPACE,
  VARIANT_INSTANCE_COUNT,
  type Paging,
  type PutScalingPolicyRequest,
  type RegisterScalableTargetRequest,
  type ScalableTarget,
  type ScalingPolicy,
  type TargetKey,
} from './autoscaling-types.js';
import { changeCapacity } from './change-capacity.js';
import { checkPolicy } from './policy-rules.js';
import {
  checkDimension,
  checkNamespace,
  parseResourceId,
  parseScalableResource,
  type VariantRef,
} from './scalable-resource.js';
import type { ScalableVariants } from './scalable-variants.js';

/** Application Auto Scaling's page size limit and default for its Describe* operations. */
const MAX_RESULTS = 50;

/** A target with its policies, as the autoscaler works through them. */
export interface TargetWithPolicies {
  readonly target: ScalableTarget;
  readonly ref: VariantRef;
  readonly policies: readonly ScalingPolicy[];
}

/**
 * Application Auto Scaling for SageMaker endpoint variants: scalable targets, target-tracking
 * policies and the activities that changed capacity, kept in the metadata store.
 */
export class AutoscalingService {
  readonly activities: ActivityLog;
  readonly #kinds: AutoscalingKinds;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: { variants: ScalableVariants; ids: IdGenerator },
  ) {
    this.#kinds = autoscalingKinds(ctx);
    this.activities = new ActivityLog(this.#kinds, { clock: ctx.clock, ids: deps.ids });
  }

  /**
   * RegisterScalableTarget: registers the variant, or changes the capacities given. A variant
   * whose count is outside the new range is moved into it, as AWS does.
   */
  async register(request: RegisterScalableTargetRequest): Promise<{ ScalableTargetARN: string }> {
    const ref = parseScalableResource(request);
    const capacity = await this.deps.variants.capacity(ref);
    if (!capacity) {
      throw new ValidationError(
        `ResourceId ${request.ResourceId} does not name a variant of an existing endpoint: there is no variant ${ref.variant} of an endpoint ${ref.endpoint}.`,
        'ResourceId',
      );
    }
    const existing = await this.#kinds.targets.find(targetName(request.ResourceId));
    const previous = existing && targetFromStored(existing.body);
    const min = request.MinCapacity ?? previous?.MinCapacity;
    const max = request.MaxCapacity ?? previous?.MaxCapacity;
    if (min === undefined || max === undefined) {
      throw new ValidationError(
        'MinCapacity and MaxCapacity are required to register a new scalable target.',
        min === undefined ? 'MinCapacity' : 'MaxCapacity',
      );
    }
    checkCapacities(min, max, capacity.asynchronous ?? false);
    const target: ScalableTarget = {
      ServiceNamespace: SAGEMAKER_NAMESPACE,
      ResourceId: request.ResourceId,
      ScalableDimension: VARIANT_INSTANCE_COUNT,
      MinCapacity: min,
      MaxCapacity: max,
      RoleARN: previous?.RoleARN ?? request.RoleARN ?? this.#serviceRole(),
      CreationTime: previous?.CreationTime ?? this.ctx.clock.now(),
      ...((request.SuspendedState ?? previous?.SuspendedState)
        ? { SuspendedState: { ...previous?.SuspendedState, ...request.SuspendedState } }
        : {}),
      ScalableTargetARN: previous?.ScalableTargetARN ?? this.#targetArn(),
    };
    if (existing) {
      await this.#kinds.targets.update(existing.name, {
        status: 'Active',
        body: toStoredBody(target),
      });
    } else {
      await this.#kinds.targets.create({
        name: targetName(request.ResourceId),
        status: 'Active',
        body: toStoredBody(target),
      });
    }
    if (
      capacity.endpointStatus === 'InService' &&
      (capacity.current < min || capacity.current > max)
    ) {
      const below = capacity.current < min;
      await changeCapacity(
        { variants: this.deps.variants, activities: this.activities },
        {
          ref,
          resourceId: target.ResourceId,
          capacity: below ? min : max,
          direction: below ? 'out' : 'in',
          cause: below
            ? `minimum capacity was set to ${min}`
            : `maximum capacity was set to ${max}`,
        },
      );
    }
    return { ScalableTargetARN: target.ScalableTargetARN };
  }

  /** DescribeScalableTargets: the targets named, or all, oldest first. */
  async describeTargets(
    request: {
      ServiceNamespace: string;
      ResourceIds?: string[];
      ScalableDimension?: string;
    } & Paging,
  ): Promise<{ ScalableTargets: ScalableTarget[]; NextToken?: string }> {
    checkNamespace(request.ServiceNamespace);
    checkDimension(request.ScalableDimension);
    const maxResults = checkMaxResults(request.MaxResults);
    if (request.ResourceIds && request.ResourceIds.length > 0) {
      const records = await Promise.all(
        request.ResourceIds.map((id) => this.#kinds.targets.find(targetName(id))),
      );
      return {
        ScalableTargets: records
          .filter((r): r is ResourceRecord => r !== undefined)
          .map((r) => targetFromStored(r.body)),
      };
    }
    const page = await this.#kinds.targets.list({
      sortOrder: 'Ascending',
      maxResults,
      ...(request.NextToken ? { nextToken: request.NextToken } : {}),
    });
    return {
      ScalableTargets: page.items.map((r) => targetFromStored(r.body)),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  /** DeregisterScalableTarget: the target and its policies go. */
  async deregister(key: TargetKey): Promise<void> {
    parseScalableResource(key);
    const record = await this.#kinds.targets.find(targetName(key.ResourceId));
    if (!record) {
      throw new ResourceNotFoundError(
        `No scalable target found for service namespace: ${key.ServiceNamespace}, resource ID: ${key.ResourceId}, scalable dimension: ${key.ScalableDimension}`,
      );
    }
    for (const policy of await this.#policyRecords(key.ResourceId)) {
      await this.#kinds.policies.delete(policy.name);
    }
    await this.#kinds.targets.delete(record.name);
  }

  /** PutScalingPolicy: creates the target-tracking or step policy, or replaces its configuration. */
  async putPolicy(
    request: PutScalingPolicyRequest,
  ): Promise<{ PolicyARN: string; Alarms: ScalingPolicy['Alarms'] }> {
    const ref = parseScalableResource(request);
    if (!(await this.#kinds.targets.find(targetName(request.ResourceId)))) {
      throw new ResourceNotFoundError(
        `No scalable target registered for service namespace: ${request.ServiceNamespace}, resource ID: ${request.ResourceId}, scalable dimension: ${request.ScalableDimension}`,
      );
    }
    const capacity = await this.deps.variants.capacity(ref);
    const config = checkPolicy(request, {
      endpoint: ref.endpoint,
      asynchronous: capacity?.asynchronous ?? false,
    });
    const name = childName(request.ResourceId, request.PolicyName);
    const existing = await this.#kinds.policies.find(name);
    const previous = existing && policyFromStored(existing.body);
    const policy: ScalingPolicy = {
      PolicyARN: previous?.PolicyARN ?? this.#policyArn(request),
      PolicyName: request.PolicyName,
      ServiceNamespace: SAGEMAKER_NAMESPACE,
      ResourceId: request.ResourceId,
      ScalableDimension: VARIANT_INSTANCE_COUNT,
      ...config,
      // A step policy's alarm is the one Plinth plays on HasBacklogWithoutCapacity (step-scaling.ts).
      Alarms:
        config.PolicyType === 'StepScaling'
          ? []
          : previous?.TargetTrackingScalingPolicyConfiguration
            ? previous.Alarms
            : this.#alarms(request.ResourceId),
      CreationTime: previous?.CreationTime ?? this.ctx.clock.now(),
    };
    if (existing) {
      await this.#kinds.policies.update(name, { status: 'Active', body: toStoredBody(policy) });
    } else {
      await this.#kinds.policies.create({ name, status: 'Active', body: toStoredBody(policy) });
    }
    return { PolicyARN: policy.PolicyARN, Alarms: policy.Alarms };
  }

  /** DescribeScalingPolicies: of one target or all, optionally only those named. */
  async describePolicies(
    request: {
      ServiceNamespace: string;
      ResourceId?: string;
      ScalableDimension?: string;
      PolicyNames?: string[];
    } & Paging,
  ): Promise<{ ScalingPolicies: ScalingPolicy[]; NextToken?: string }> {
    checkNamespace(request.ServiceNamespace);
    checkDimension(request.ScalableDimension);
    if (request.ResourceId !== undefined) parseResourceId(request.ResourceId);
    const maxResults = checkMaxResults(request.MaxResults);
    const prefix = request.ResourceId === undefined ? undefined : childPrefix(request.ResourceId);
    if (request.PolicyNames && request.PolicyNames.length > 0) {
      const names = new Set(request.PolicyNames);
      const matching: ScalingPolicy[] = [];
      for await (const record of allRecords(this.#kinds.policies, prefix)) {
        const policy = policyFromStored(record.body);
        if (names.has(policy.PolicyName)) matching.push(policy);
      }
      return { ScalingPolicies: matching };
    }
    const page = await this.#kinds.policies.list({
      sortOrder: 'Ascending',
      maxResults,
      ...(prefix ? { nameContains: prefix } : {}),
      ...(request.NextToken ? { nextToken: request.NextToken } : {}),
    });
    return {
      ScalingPolicies: page.items.map((r) => policyFromStored(r.body)),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  /** DeleteScalingPolicy. */
  async deletePolicy(request: TargetKey & { PolicyName: string }): Promise<void> {
    parseScalableResource(request);
    const name = childName(request.ResourceId, request.PolicyName);
    if (!(await this.#kinds.policies.find(name))) {
      throw new ResourceNotFoundError(
        `No scaling policy found for service namespace: ${request.ServiceNamespace}, resource ID: ${request.ResourceId}, scalable dimension: ${request.ScalableDimension}, policy name: ${request.PolicyName}`,
      );
    }
    await this.#kinds.policies.delete(name);
  }

  /** DescribeScalingActivities: newest first. */
  async describeActivities(
    request: { ServiceNamespace: string; ResourceId?: string; ScalableDimension?: string } & Paging,
  ): Promise<ActivityPage> {
    checkNamespace(request.ServiceNamespace);
    checkDimension(request.ScalableDimension);
    if (request.ResourceId !== undefined) parseResourceId(request.ResourceId);
    return this.activities.describe({
      maxResults: checkMaxResults(request.MaxResults),
      ...(request.ResourceId ? { resourceId: request.ResourceId } : {}),
      ...(request.NextToken ? { nextToken: request.NextToken } : {}),
    });
  }

  /** Every registered target with its policies (for the autoscaler). */
  async *targets(): AsyncGenerator<TargetWithPolicies> {
    for await (const record of allRecords(this.#kinds.targets)) {
      const target = targetFromStored(record.body);
      const policies = (await this.#policyRecords(target.ResourceId)).map((r) =>
        policyFromStored(r.body),
      );
      yield { target, ref: parseResourceId(target.ResourceId), policies };
    }
  }

  async #policyRecords(resourceId: string): Promise<ResourceRecord[]> {
    const records: ResourceRecord[] = [];
    for await (const record of allRecords(this.#kinds.policies, childPrefix(resourceId))) {
      records.push(record);
    }
    return records;
  }

  #serviceRole(): string {
    return `arn:aws:iam::${this.ctx.account.accountId}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`;
  }

  #targetArn(): string {
    const { region, accountId } = this.ctx.account;
    const id = this.deps.ids.uuid().replace(/-/g, '');
    return `arn:aws:application-autoscaling:${region}:${accountId}:scalable-target/${id}`;
  }

  #policyArn(request: PutScalingPolicyRequest): string {
    const { region, accountId } = this.ctx.account;
    return `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${this.deps.ids.uuid()}:resource/${SAGEMAKER_NAMESPACE}/${request.ResourceId}:policyName/${request.PolicyName}`;
  }

  /** The two alarms AWS creates for a target-tracking policy (Plinth evaluates them itself). */
  #alarms(resourceId: string): ScalingPolicy['Alarms'] {
    const { region, accountId } = this.ctx.account;
    return ['AlarmHigh', 'AlarmLow'].map((kind) => {
      const AlarmName = `TargetTracking-${resourceId}-${kind}-${this.deps.ids.uuid()}`;
      return {
        AlarmName,
        AlarmARN: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${AlarmName}`,
      };
    });
  }
}

function checkCapacities(min: number, max: number, asynchronous: boolean): void {
  if (min < 0 || (min < 1 && !asynchronous)) {
    throw new ValidationError(
      `MinCapacity ${min} is too small: a SageMaker variant keeps at least 1 instance; only an asynchronous endpoint's variant (AsyncInferenceConfig) may scale to 0.`,
      'MinCapacity',
    );
  }
  if (min > max) {
    throw new ValidationError(
      `Minimum capacity cannot be greater than maximum capacity: MinCapacity ${min} is above MaxCapacity ${max}.`,
      'MinCapacity',
    );
  }
}

function checkMaxResults(maxResults: number | undefined): number {
  if (maxResults === undefined) return MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw new ValidationError(
      `MaxResults ${maxResults} is out of range: it must be from 1 to ${MAX_RESULTS}.`,
      'MaxResults',
    );
  }
  return maxResults;
}
