/**
 * Observability shared by TAP's Lambda functions: Powertools Metrics flushed once per
 * invocation, and a Tracer that is loaded only on Lambda with tracing on.
 */
export * from './metrics';
export * from './tracing';
