/**
 * The permissions boundary of every role a TAP stack creates: a customer-managed policy of
 * the account, created once with the CDK bootstrap (docs/delivery.md) from
 * `apps/infra/scripts/bootstrap-policy.ts --boundary`. The CloudFormation execution policy
 * lets a deployment create or change a role only with this boundary, so a stack (a pull
 * request's included) cannot make a role more powerful than what the stack's roles use.
 * No dependencies: the generator script imports it too.
 */
export const PERMISSIONS_BOUNDARY_NAME = 'tap-permissions-boundary';

/** The boundary's ARN in `account` (`*`: any). */
export function permissionsBoundaryArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:policy/${PERMISSIONS_BOUNDARY_NAME}`;
}
