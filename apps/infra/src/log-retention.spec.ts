import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Template } from 'aws-cdk-lib/assertions';
import { LOG_RETENTION_DAYS } from './environment-config';
import { retentionDaysOf } from './log-retention';
import { FUNCTION_NAMES, protectedApp, resources, synthesize } from './testing/template';

/** Every log group of the template: its name and retention. */
function logGroups(template: Template): { name: unknown; retention: unknown }[] {
  return Object.values(resources(template))
    .filter((resource) => resource.Type === 'AWS::Logs::LogGroup')
    .map((resource) => ({
      name: resource.Properties?.LogGroupName,
      retention: resource.Properties?.RetentionInDays,
    }));
}

describe('log retention', () => {
  // The functions', the HTTP API access logs', and the JWKS reader's and its provider's.
  const LOG_GROUP_COUNT = FUNCTION_NAMES.length + 3;

  it('keeps every log group of a developer stack a week', () => {
    const groups = logGroups(synthesize().template);
    expect(groups).toHaveLength(LOG_GROUP_COUNT);
    expect(groups.filter((group) => group.retention !== 7)).toEqual([]);
  });

  it('keeps every log group of a protected environment a year', () => {
    const groups = logGroups(synthesize(protectedApp()).template);
    expect(groups).toHaveLength(LOG_GROUP_COUNT);
    expect(groups.filter((group) => group.retention !== 365)).toEqual([]);
  });

  it('applies the retention context logRetentionDays gives the environment to every log group', () => {
    const { template } = synthesize(
      protectedApp('prod', {
        logRetentionDays: 30,
        environments: { prod: { logRetentionDays: 90 } },
      }),
    );
    const groups = logGroups(template);
    expect(groups).toHaveLength(LOG_GROUP_COUNT);
    expect(groups.filter((group) => group.retention !== 90)).toEqual([]);
    const developer = logGroups(synthesize({ context: { logRetentionDays: '30' } }).template);
    expect(developer.filter((group) => group.retention !== 30)).toEqual([]);
  });

  it('has a CDK retention for every period CloudWatch accepts, and refuses any other', () => {
    for (const days of LOG_RETENTION_DAYS) expect(retentionDaysOf(days)).toBe(days);
    expect(() => retentionDaysOf(8)).toThrow('aws-cdk-lib has no log retention of 8 days');
    expect(() => retentionDaysOf(RetentionDays.INFINITE)).toThrow('no log retention of 9999 days');
  });
});
