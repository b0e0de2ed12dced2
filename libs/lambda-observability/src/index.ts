/**
 * Observability shared by TAP's Lambda functions: Powertools Metrics flushed once per
 * invocation, a Tracer that is loaded only on Lambda with tracing on, and a Logger that a
 * function which rarely logs loads with its first line.
 */
export * from './lazy-logger';
export * from './metrics';
export * from './tracing';
