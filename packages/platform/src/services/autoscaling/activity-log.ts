import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import { toStoredBody } from '../shared/stored-body.js';
import {
  SAGEMAKER_NAMESPACE,
  VARIANT_INSTANCE_COUNT,
  type ActivityStatus,
  type ScalingActivity,
} from './autoscaling-types.js';
import { childName, childPrefix, type AutoscalingKinds } from './autoscaling-records.js';

/** Which way an activity moved a target (kept for cooldowns; not part of AWS's shape). */
export type Direction = 'out' | 'in';

/** An activity with what Plinth keeps beside it. */
export interface LoggedActivity {
  readonly activity: ScalingActivity;
  readonly direction: Direction;
  /** The instance count the activity sets. */
  readonly capacity: number;
}

/** A page of DescribeScalingActivities. */
export interface ActivityPage {
  ScalingActivities: ScalingActivity[];
  NextToken?: string;
}

/**
 * Scaling activities in the metadata store: started InProgress when a capacity change is
 * asked for, finished Successful or Failed once the endpoint has carried it out.
 */
export class ActivityLog {
  constructor(
    private readonly kinds: AutoscalingKinds,
    private readonly deps: { clock: Clock; ids: IdGenerator },
  ) {}

  /** Records that the target's capacity is being set to `capacity`, and why. */
  async start(change: {
    resourceId: string;
    capacity: number;
    direction: Direction;
    cause: string;
  }): Promise<LoggedActivity> {
    const activity: ScalingActivity = {
      ActivityId: this.deps.ids.uuid(),
      ServiceNamespace: SAGEMAKER_NAMESPACE,
      ResourceId: change.resourceId,
      ScalableDimension: VARIANT_INSTANCE_COUNT,
      Description: `Setting desired instance count to ${change.capacity}.`,
      Cause: change.cause,
      StartTime: this.deps.clock.now(),
      StatusCode: 'InProgress',
    };
    const logged = { activity, direction: change.direction, capacity: change.capacity };
    await this.kinds.activities.create({
      name: childName(change.resourceId, activity.ActivityId),
      status: activity.StatusCode,
      body: toStoredBody(logged),
    });
    return logged;
  }

  /** Ends an activity with its outcome. */
  async finish(
    logged: LoggedActivity,
    outcome: { status: Exclude<ActivityStatus, 'InProgress'>; message: string },
  ): Promise<LoggedActivity> {
    const finished: LoggedActivity = {
      ...logged,
      activity: {
        ...logged.activity,
        StatusCode: outcome.status,
        StatusMessage: outcome.message,
        EndTime: this.deps.clock.now(),
      },
    };
    await this.kinds.activities.update(
      childName(logged.activity.ResourceId, logged.activity.ActivityId),
      { status: outcome.status, body: toStoredBody(finished) },
    );
    return finished;
  }

  /** The target's latest activities, newest first. */
  async recent(resourceId: string, limit: number): Promise<LoggedActivity[]> {
    const page = await this.kinds.activities.list({
      nameContains: childPrefix(resourceId),
      sortOrder: 'Descending',
      maxResults: limit,
    });
    return page.items.map((record) => fromStored(record.body));
  }

  /** DescribeScalingActivities: newest first, of one target or of all. */
  async describe(query: {
    resourceId?: string;
    maxResults: number;
    nextToken?: string;
  }): Promise<ActivityPage> {
    const page = await this.kinds.activities.list({
      ...(query.resourceId ? { nameContains: childPrefix(query.resourceId) } : {}),
      sortOrder: 'Descending',
      maxResults: query.maxResults,
      ...(query.nextToken ? { nextToken: query.nextToken } : {}),
    });
    return {
      ScalingActivities: page.items.map((record) => fromStored(record.body).activity),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }
}

function fromStored(body: Record<string, unknown>): LoggedActivity {
  const logged = body as unknown as LoggedActivity;
  const { StartTime, EndTime } = logged.activity;
  return {
    ...logged,
    activity: {
      ...logged.activity,
      StartTime: new Date(StartTime),
      ...(EndTime ? { EndTime: new Date(EndTime) } : {}),
    },
  };
}
