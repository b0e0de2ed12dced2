import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  Stats,
  TextWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, type FunctionName } from '@tap/contracts';

/** Period of every graph. */
const PERIOD = Duration.minutes(5);

/** Percentiles of every latency graph. */
export const LATENCY_PERCENTILES = ['p50', 'p90', 'p99'] as const;

/** TAP's custom metrics (Powertools Metrics, EMF) and the statistic each is graphed with. */
export const CUSTOM_METRICS: readonly { readonly name: string; readonly statistic: string }[] = [
  { name: 'RequestCount', statistic: 'Sum' },
  { name: 'ErrorCount', statistic: 'Sum' },
  { name: 'Latency', statistic: 'p99' },
  { name: 'ColdStart', statistic: 'Sum' },
];

/** Props of {@link TapDashboard}. */
export interface TapDashboardProps {
  readonly dashboardName: string;
  readonly environmentSuffix: string;
  readonly httpApi: IHttpApi;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly table: ITableV2;
  /** Alarms whose state heads the dashboard. */
  readonly alarms: readonly IAlarm[];
}

/**
 * One dashboard per environment, top to bottom: alarm states; the HTTP API's requests,
 * 4xx/5xx and latency percentiles; each function's errors, duration and throttles; the
 * table's consumed capacity and throttles; and TAP's custom metrics by route.
 */
export class TapDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: Dashboard;

  public constructor(scope: Construct, id: string, props: TapDashboardProps) {
    super(scope, id);
    const sum = { period: PERIOD, statistic: Stats.SUM };
    const functions = Object.entries(props.functions) as [FunctionName, IFunction][];
    const graph = (title: string, left: IMetric[], width = 8): GraphWidget =>
      new GraphWidget({ title, left, width, height: 6 });
    // A search rather than fixed dimensions: every series the handlers emit shows up,
    // whatever dimensions (route, service, function_name) they add.
    const search = (metricName: string, statistic: string): MathExpression =>
      new MathExpression({
        expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${metricName}"', '${statistic}', ${PERIOD.toSeconds()})`,
        usingMetrics: {},
        label: metricName,
        period: PERIOD,
      });

    const rows: IWidget[][] = [
      [
        new TextWidget({
          markdown:
            `# TAP ${props.environmentSuffix}\n` +
            'HTTP API, Lambda functions, DynamoDB table and custom metrics ' +
            `(namespace \`${METRICS_NAMESPACE}\`), 5-minute periods.`,
          width: 8,
          height: 4,
        }),
        new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 16, height: 4 }),
      ],
      [
        graph('API requests', [props.httpApi.metricCount({ ...sum, label: 'Requests' })]),
        graph('API 4xx / 5xx', [
          props.httpApi.metricClientError({ ...sum, label: '4xx' }),
          props.httpApi.metricServerError({ ...sum, label: '5xx' }),
        ]),
        graph(
          'API latency (ms)',
          LATENCY_PERCENTILES.map((statistic) =>
            props.httpApi.metricLatency({ period: PERIOD, statistic, label: statistic }),
          ),
        ),
      ],
      [
        graph(
          'Lambda errors',
          functions.map(([fn, handler]) => handler.metricErrors({ ...sum, label: fn })),
        ),
        graph(
          'Lambda duration p50 / p99 (ms)',
          functions.flatMap(([fn, handler]) =>
            ['p50', 'p99'].map((statistic) =>
              handler.metricDuration({ period: PERIOD, statistic, label: `${fn} ${statistic}` }),
            ),
          ),
        ),
        graph(
          'Lambda throttles',
          functions.map(([fn, handler]) => handler.metricThrottles({ ...sum, label: fn })),
        ),
      ],
      [
        graph(
          'DynamoDB consumed capacity',
          [
            props.table.metricConsumedReadCapacityUnits({ ...sum, label: 'Read units' }),
            props.table.metricConsumedWriteCapacityUnits({ ...sum, label: 'Write units' }),
          ],
          12,
        ),
        graph(
          'DynamoDB throttles',
          [
            props.table.metric('ReadThrottleEvents', { ...sum, label: 'Read throttles' }),
            props.table.metric('WriteThrottleEvents', { ...sum, label: 'Write throttles' }),
          ],
          12,
        ),
      ],
      CUSTOM_METRICS.map(({ name, statistic }) =>
        graph(`${METRICS_NAMESPACE} ${name} (${statistic})`, [search(name, statistic)], 6),
      ),
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: rows,
    });
  }
}
