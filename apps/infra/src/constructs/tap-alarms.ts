import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Stats,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { FunctionName } from '@tap/contracts';
import type { AlarmThresholds } from '../environment-config';

/** Period every alarm evaluates. */
export const ALARM_PERIOD = Duration.minutes(5);

/** Name of a TAP alarm: `tap-<what>-<suffix>`, so environments never share one. */
export const alarmName = (what: string, suffix: string): string => `tap-${what}-${suffix}`;

/** Pattern matching every alarm name of an environment (for source conditions). */
export const alarmNamePattern = (suffix: string): string => alarmName('*', suffix);

/** Props of {@link TapAlarms}. */
export interface TapAlarmsProps {
  readonly environmentSuffix: string;
  /** Topic notified when an alarm fires and when it recovers. */
  readonly topic: ITopic;
  readonly httpApi: IHttpApi;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly table: ITableV2;
  readonly thresholds: AlarmThresholds;
}

/**
 * The alarms of an environment, each over one 5-minute period, notifying the alarm topic
 * on ALARM and on OK: the HTTP API's 5xx rate, each function's errors and throttles, and
 * the table's throttled requests. Missing data (no traffic) is not breaching.
 */
export class TapAlarms extends Construct {
  /** Every alarm, by name. */
  public readonly alarms: ReadonlyMap<string, Alarm>;
  /** The HTTP API's 5xx rate alarm. */
  public readonly serverErrorRate: Alarm;
  /** Each function's errors alarm. */
  public readonly functionErrors: ReadonlyMap<FunctionName, Alarm>;

  public constructor(scope: Construct, id: string, props: TapAlarmsProps) {
    super(scope, id);
    const { thresholds, environmentSuffix: suffix } = props;
    const alarms = new Map<string, Alarm>();
    const action = new SnsAction(props.topic);
    const add = (
      constructId: string,
      what: string,
      description: string,
      metric: IMetric,
      threshold: number,
      comparisonOperator: ComparisonOperator,
    ): Alarm => {
      const name = alarmName(what, suffix);
      const alarm = new Alarm(this, constructId, {
        alarmName: name,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms.set(name, alarm);
      return alarm;
    };

    const period = { period: ALARM_PERIOD, statistic: Stats.SUM };
    this.serverErrorRate = add(
      'ApiServerErrorRate',
      'api-5xx-rate',
      `HTTP API 5xx responses are at least ${thresholds.serverErrorRatePercent}% of requests over 5 minutes`,
      new MathExpression({
        // No request, no rate: 0 rather than a division by zero. FILL: a period without a
        // 5xx may have no datapoint, which would otherwise blank the whole expression.
        expression: 'IF(requests > 0, 100 * FILL(serverErrors, 0) / requests, 0)',
        usingMetrics: {
          serverErrors: props.httpApi.metricServerError(period),
          requests: props.httpApi.metricCount(period),
        },
        label: '5xx rate (%)',
        period: ALARM_PERIOD,
      }),
      thresholds.serverErrorRatePercent,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );

    const functionErrors = new Map<FunctionName, Alarm>();
    for (const [fn, handler] of Object.entries(props.functions) as [FunctionName, IFunction][]) {
      const prefix = fn.charAt(0).toUpperCase() + fn.slice(1);
      // The function's metrics, not its alias's: every version's errors count, the one
      // CodeDeploy is shifting to included.
      const errors = add(
        `${prefix}Errors`,
        `${fn}-errors`,
        `The ${fn} function failed at least ${thresholds.functionErrors} time(s) in 5 minutes`,
        handler.metricErrors(period),
        thresholds.functionErrors,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      );
      functionErrors.set(fn, errors);
      add(
        `${prefix}Throttles`,
        `${fn}-throttles`,
        `The ${fn} function was throttled at least ${thresholds.functionThrottles} time(s) in 5 minutes`,
        handler.metricThrottles(period),
        thresholds.functionThrottles,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      );
    }

    add(
      'TableThrottles',
      'table-throttles',
      `The data table throttled at least ${thresholds.tableThrottles} read or write request(s) in 5 minutes`,
      new MathExpression({
        // DynamoDB emits throttle events only when they happen: FILL keeps a read-only
        // (or write-only) burst from blanking the sum.
        expression: 'FILL(readThrottles, 0) + FILL(writeThrottles, 0)',
        usingMetrics: {
          readThrottles: props.table.metric('ReadThrottleEvents', period),
          writeThrottles: props.table.metric('WriteThrottleEvents', period),
        },
        label: 'Throttled requests',
        period: ALARM_PERIOD,
      }),
      thresholds.tableThrottles,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
    this.alarms = alarms;
    this.functionErrors = functionErrors;
  }

  /**
   * The errors alarm of function `fn`.
   *
   * @throws Error when the alarms were given no such function.
   */
  public functionErrorsOf(fn: FunctionName): Alarm {
    const alarm = this.functionErrors.get(fn);
    if (alarm === undefined) throw new Error(`TapAlarms: no errors alarm of the ${fn} function`);
    return alarm;
  }
}
