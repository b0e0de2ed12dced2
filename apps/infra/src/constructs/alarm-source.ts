import { ArnFormat, type Stack } from 'aws-cdk-lib';

/**
 * Conditions that narrow the CloudWatch service principal to this account's alarms whose
 * names match a pattern (confused-deputy protection). Used by every policy that lets
 * alarms act: the alarm topic's and the key's, so the two can never drift apart.
 */
export function alarmSourceConditions(
  stack: Stack,
  alarmNamePattern: string,
): Record<string, Record<string, unknown>> {
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: {
      'aws:SourceArn': stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: alarmNamePattern,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };
}
