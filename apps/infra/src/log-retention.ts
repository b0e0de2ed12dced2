import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The CDK's retention for a number of days the environment's config allows
 * (`logRetentionDays`, one of `LOG_RETENTION_DAYS`): `RetentionDays` holds the days
 * themselves, so this only proves the two lists agree.
 *
 * @throws Error when aws-cdk-lib has no retention of that many days (or it never expires).
 */
export function retentionDaysOf(days: number): RetentionDays {
  const retention = Object.values(RetentionDays).find((value) => value === days);
  if (typeof retention !== 'number' || retention === RetentionDays.INFINITE) {
    throw new Error(`aws-cdk-lib has no log retention of ${days} days`);
  }
  return retention;
}
