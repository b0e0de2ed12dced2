/**
 * A synthesized CloudFormation template as JSON, as the template checks read it. They take
 * the JSON (not a CDK `Template`) so that a hand-written template can prove each check
 * reports what it should.
 */

/** One resource of a template. */
export interface TemplateResourceJson {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly [attribute: string]: unknown;
}

/** A template: only its resources are checked. */
export interface TemplateJson {
  readonly Resources?: Readonly<Record<string, TemplateResourceJson>>;
  readonly [section: string]: unknown;
}

/** Where a finding is: `<logical id> <resource type>`. */
export function resourceLabel(logicalId: string, resource: TemplateResourceJson): string {
  return `${logicalId} ${resource.Type}`;
}

/**
 * Whether `value` is an intrinsic function or a reference (`{ "Ref": ... }`,
 * `{ "Fn::GetAtt": ... }`, ...): its shape is only known once CloudFormation resolves it,
 * so the checks look no further into it.
 */
export function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
