/**
 * The runtime every TAP Lambda function shares: configuration read and checked at cold start,
 * fail-fast HTTP settings for the AWS SDK clients, one wrapper around every invocation
 * (trace, cold-start metric, log keys), Powertools Metrics flushed once per invocation, a
 * Tracer loaded only on Lambda with tracing on, and a Logger that a function which rarely
 * logs loads with its first line.
 */
export * from './env-reader';
export * from './http-handler';
export * from './invocation';
export * from './lazy-logger';
export * from './metrics';
export * from './tracing';
