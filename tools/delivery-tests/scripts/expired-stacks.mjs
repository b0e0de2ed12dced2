#!/usr/bin/env node
// The TAP stacks the janitor destroys: `TapStack-<suffix>` stacks whose `tap:expires-at`
// tag (an ISO 8601 instant) has passed. Never a protected environment's (apps/infra/cdk.json
// `protectedEnvironments`), never one with termination protection, never one without the
// tag (a developer stack deployed without a lifetime stays theirs to destroy).
//
//   aws cloudformation describe-stacks --output json > stacks.json
//   node tools/delivery-tests/scripts/expired-stacks.mjs stacks.json [--now <ISO instant>]
//
// Prints one stack name a line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tag a deploy sets (`cdk deploy --tags tap:expires-at=<instant>`). */
export const EXPIRES_AT_TAG = 'tap:expires-at';

const STACK_PREFIX = 'TapStack-';
const GONE = /^DELETE_(IN_PROGRESS|COMPLETE)$/;

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The protected suffixes of apps/infra/cdk.json (the stack's own default otherwise). */
export function protectedEnvironments(root = workspaceRoot) {
  const cdkJson = JSON.parse(readFileSync(path.join(root, 'apps', 'infra', 'cdk.json'), 'utf8'));
  const listed = cdkJson.context?.protectedEnvironments;
  return Array.isArray(listed) ? listed : ['prod', 'staging'];
}

/**
 * Names of the stacks past their lifetime.
 *
 * @param {{ Stacks?: Array<{ StackName: string, StackStatus?: string, EnableTerminationProtection?: boolean, Tags?: Array<{ Key: string, Value: string }> }> }} described
 *   what `aws cloudformation describe-stacks` prints
 * @param {Date} now
 * @param {readonly string[]} protectedSuffixes
 * @returns {string[]}
 */
export function expiredStacks(described, now, protectedSuffixes) {
  const expired = [];
  for (const stack of described.Stacks ?? []) {
    if (!stack.StackName.startsWith(STACK_PREFIX)) continue;
    if (protectedSuffixes.includes(stack.StackName.slice(STACK_PREFIX.length))) continue;
    if (stack.EnableTerminationProtection === true) continue;
    if (GONE.test(stack.StackStatus ?? '')) continue;
    const tag = (stack.Tags ?? []).find(({ Key }) => Key === EXPIRES_AT_TAG);
    // An unreadable instant is no permission to delete.
    const expiresAt = tag ? Date.parse(tag.Value) : Number.NaN;
    if (Number.isNaN(expiresAt) || expiresAt > now.getTime()) continue;
    expired.push(stack.StackName);
  }
  return expired.sort();
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const [file] = args;
  const nowIndex = args.indexOf('--now');
  const now = nowIndex >= 0 ? new Date(args[nowIndex + 1] ?? '') : new Date();
  if (!file || Number.isNaN(now.getTime())) {
    console.error('Usage: expired-stacks.mjs <describe-stacks.json> [--now <ISO instant>]');
    process.exit(2);
  }
  const described = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of expiredStacks(described, now, protectedEnvironments())) console.log(name);
}
