/** Floor of our observability: Powertools Logger and Metrics, one log line, one metric. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const logger = new Logger({ serviceName: 'tap-bench' });
const metrics = new Metrics({ serviceName: 'tap-bench', namespace: 'TAP' });

export const handler = async (_event: unknown, context?: { functionName?: string }) => {
  metrics.captureColdStartMetric(context?.functionName);
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  logger.info('request');
  return { statusCode: 200 };
};
