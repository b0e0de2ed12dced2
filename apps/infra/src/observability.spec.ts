import { Match, type Template } from 'aws-cdk-lib/assertions';
import { METRICS_NAMESPACE } from '@tap/contracts';
import {
  arnOf,
  FUNCTION_NAMES,
  functionNameOf,
  logicalIdOf,
  refTo,
  synthesize,
  TEST_SUFFIX,
} from './testing/template';

/** Properties of every resource of `type`. */
const propertiesOf = (template: Template, type: string): Record<string, unknown>[] =>
  Object.values(template.findResources(type)).map(
    (resource) => (resource.Properties ?? {}) as Record<string, unknown>,
  );

describe('observability', () => {
  let template: Template;
  let topicId: string;
  const functionIdOf = (fn: (typeof FUNCTION_NAMES)[number]): string =>
    logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: functionNameOf(fn) });

  beforeAll(() => {
    ({ template } = synthesize());
    topicId = logicalIdOf(template, 'AWS::SNS::Topic');
  });

  describe('alarm topic', () => {
    it('is named per environment, encrypted with the key, TLS-only, and has no subscriber by default', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `tap-alarms-${TEST_SUFFIX}`,
        KmsMasterKeyId: arnOf(logicalIdOf(template, 'AWS::KMS::Key')),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [refTo(topicId)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it("lets only this account's alarms of this environment publish", () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowTapAlarmsToPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: refTo(topicId),
              Condition: {
                StringEquals: { 'aws:SourceAccount': refTo('AWS::AccountId') },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:aws:cloudwatch:us-west-2:',
                        refTo('AWS::AccountId'),
                        `:alarm:tap-*-${TEST_SUFFIX}`,
                      ],
                    ],
                  },
                },
              },
            },
          ]),
        },
      });
    });

    it('subscribes the alarm emails of the context', () => {
      const { template: withEmails } = synthesize({
        context: { alarmEmails: 'oncall@example.com,team@example.com' },
      });
      const subscriptions = propertiesOf(withEmails, 'AWS::SNS::Subscription');
      expect(
        subscriptions.map((subscription) => [subscription.Protocol, subscription.Endpoint]),
      ).toEqual([
        ['email', 'oncall@example.com'],
        ['email', 'team@example.com'],
      ]);
    });
  });

  describe('alarms', () => {
    it('all carry the suffix, notify the topic on ALARM and OK, and treat missing data as fine', () => {
      const alarms = propertiesOf(template, 'AWS::CloudWatch::Alarm');
      expect(alarms.map((alarm) => alarm.AlarmName).sort()).toEqual(
        [
          `tap-api-5xx-rate-${TEST_SUFFIX}`,
          ...FUNCTION_NAMES.flatMap((fn) => [
            `tap-${fn}-errors-${TEST_SUFFIX}`,
            `tap-${fn}-throttles-${TEST_SUFFIX}`,
          ]),
          `tap-table-throttles-${TEST_SUFFIX}`,
        ].sort(),
      );
      for (const alarm of alarms) {
        expect(alarm).toMatchObject({
          AlarmActions: [refTo(topicId)],
          OKActions: [refTo(topicId)],
          TreatMissingData: 'notBreaching',
          EvaluationPeriods: 1,
        });
      }
    });

    it('fires when 5xx are at least 5% of the HTTP API requests over 5 minutes', () => {
      const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api');
      const apiMetric = (metricName: string): Record<string, unknown> => ({
        Metric: {
          Namespace: 'AWS/ApiGateway',
          MetricName: metricName,
          Dimensions: [{ Name: 'ApiId', Value: refTo(apiId) }],
        },
        Period: 300,
        Stat: 'Sum',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `tap-api-5xx-rate-${TEST_SUFFIX}`,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 5,
        Metrics: [
          Match.objectLike({
            Expression: 'IF(requests > 0, 100 * FILL(serverErrors, 0) / requests, 0)',
            ReturnData: true,
          }),
          { Id: 'serverErrors', MetricStat: apiMetric('5xx'), ReturnData: false },
          { Id: 'requests', MetricStat: apiMetric('Count'), ReturnData: false },
        ],
      });
    });

    it.each(FUNCTION_NAMES)('fires on any error or throttle of the %s function', (fn) => {
      for (const [what, metricName] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `tap-${fn}-${what}-${TEST_SUFFIX}`,
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: refTo(functionIdOf(fn)) }],
          Statistic: 'Sum',
          Period: 300,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
        });
      }
    });

    it('fires on any throttled read or write of the data table', () => {
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', {
        TableName: `tap-data-table-${TEST_SUFFIX}`,
      });
      const tableMetric = (id: string, metricName: string): Record<string, unknown> => ({
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/DynamoDB',
            MetricName: metricName,
            Dimensions: [{ Name: 'TableName', Value: refTo(tableId) }],
          },
          Period: 300,
          Stat: 'Sum',
        },
        ReturnData: false,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `tap-table-throttles-${TEST_SUFFIX}`,
        Threshold: 1,
        Metrics: [
          Match.objectLike({ Expression: 'FILL(readThrottles, 0) + FILL(writeThrottles, 0)' }),
          tableMetric('readThrottles', 'ReadThrottleEvents'),
          tableMetric('writeThrottles', 'WriteThrottleEvents'),
        ],
      });
    });

    it('takes its thresholds from context, per environment', () => {
      const { template: tuned } = synthesize({
        context: {
          alarms: { serverErrorRatePercent: 2, functionErrors: 3 },
          environments: { [TEST_SUFFIX]: { alarms: { functionThrottles: 4, tableThrottles: 5 } } },
        },
      });
      const thresholds = Object.fromEntries(
        propertiesOf(tuned, 'AWS::CloudWatch::Alarm').map((alarm) => [
          alarm.AlarmName,
          alarm.Threshold,
        ]),
      );
      expect(thresholds).toMatchObject({
        [`tap-api-5xx-rate-${TEST_SUFFIX}`]: 2,
        [`tap-api-errors-${TEST_SUFFIX}`]: 3,
        [`tap-authorizer-throttles-${TEST_SUFFIX}`]: 4,
        [`tap-table-throttles-${TEST_SUFFIX}`]: 5,
      });
    });
  });

  describe('dashboard', () => {
    let body: string;

    beforeAll(() => {
      const [dashboard] = propertiesOf(template, 'AWS::CloudWatch::Dashboard');
      expect(dashboard?.DashboardName).toBe(`tap-dashboard-${TEST_SUFFIX}`);
      body = JSON.stringify(dashboard?.DashboardBody);
    });

    it('shows the HTTP API requests, 4xx/5xx and latency p50/p90/p99', () => {
      for (const metric of ['Count', '4xx', '5xx', 'Latency']) {
        expect(body).toContain(`\\"AWS/ApiGateway\\",\\"${metric}\\"`);
      }
      for (const statistic of ['p50', 'p90', 'p99']) {
        expect(body).toContain(`\\"label\\":\\"${statistic}\\",\\"stat\\":\\"${statistic}\\"`);
      }
    });

    it('shows every function with its errors, duration and throttles', () => {
      for (const fn of FUNCTION_NAMES) {
        for (const metric of ['Errors', 'Duration', 'Throttles']) {
          expect(body).toContain(
            `\\"AWS/Lambda\\",\\"${metric}\\",\\"FunctionName\\",\\"",${JSON.stringify(refTo(functionIdOf(fn)))}`,
          );
        }
      }
    });

    it('shows the table consumed capacity and throttles', () => {
      for (const metric of [
        'ConsumedReadCapacityUnits',
        'ConsumedWriteCapacityUnits',
        'ReadThrottleEvents',
        'WriteThrottleEvents',
      ]) {
        expect(body).toContain(`\\"AWS/DynamoDB\\",\\"${metric}\\"`);
      }
    });

    it("shows TAP's custom metrics, whatever dimensions the handlers give them", () => {
      for (const metric of ['RequestCount', 'ErrorCount', 'Latency', 'ColdStart']) {
        expect(body).toContain(
          `SEARCH('Namespace=\\\\\\"${METRICS_NAMESPACE}\\\\\\" MetricName=\\\\\\"${metric}\\\\\\"'`,
        );
      }
    });

    it('heads with the state of every alarm', () => {
      const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
      // The API's 5xx rate, errors and throttles of each function, table throttles.
      expect(alarmIds).toHaveLength(2 + 2 * FUNCTION_NAMES.length);
      for (const alarmId of alarmIds) expect(body).toContain(JSON.stringify(arnOf(alarmId)));
    });
  });
});
