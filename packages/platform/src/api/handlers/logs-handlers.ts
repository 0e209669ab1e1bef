import type { JobLogService } from '../../services/logs/job-log-service.js';
import type { OperationHandler } from '../aws-json/json-service.js';
import type { WireName } from '../aws-json/error-map.js';

/** CloudWatch Logs' names for the domain errors. */
export const LOGS_ERROR_NAMES: Readonly<
  Record<
    'Validation' | 'ResourceNotFound' | 'ResourceInUse' | 'ResourceLimitExceeded' | 'Conflict',
    WireName
  >
> = {
  Validation: { type: 'InvalidParameterException', status: 400 },
  ResourceNotFound: { type: 'ResourceNotFoundException', status: 400 },
  ResourceInUse: { type: 'ResourceAlreadyExistsException', status: 400 },
  ResourceLimitExceeded: { type: 'LimitExceededException', status: 400 },
  Conflict: { type: 'OperationAbortedException', status: 400 },
};

/** The CloudWatch Logs operations that read jobs' logs. */
export function createLogsHandlers(logs: JobLogService): Record<string, OperationHandler> {
  return {
    DescribeLogStreams: (input) =>
      logs.describeLogStreams({
        logGroupName: input.logGroupName as string | undefined,
        logStreamNamePrefix: input.logStreamNamePrefix as string | undefined,
        descending: input.descending as boolean | undefined,
        limit: input.limit as number | undefined,
      }),
    GetLogEvents: (input) =>
      logs.getLogEvents({
        logGroupName: input.logGroupName as string | undefined,
        logStreamName: input.logStreamName as string,
        startFromHead: input.startFromHead as boolean | undefined,
        nextToken: input.nextToken as string | undefined,
        limit: input.limit as number | undefined,
        startTime: input.startTime as number | undefined,
        endTime: input.endTime as number | undefined,
      }),
  };
}
