import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag rule packs TAP is held to: AWS Solutions (security best practices) and
 * Serverless (Lambda, API Gateway, SNS operational practices).
 *
 * @param scope The app the packs validate (needed by the CDK's validation framework).
 */
export function compliancePacks(scope?: IConstruct): NagPack[] {
  return [
    new AwsSolutionsChecks(scope, { verbose: true }),
    new ServerlessChecks(scope, { verbose: true }),
  ];
}

/**
 * Runs the {@link compliancePacks} on every synth of `app`, through the CDK's policy
 * validation: any finding not acknowledged with `Validations.of(construct).acknowledge(...)`
 * (warnings included, since a pack's report fails on any violation) fails the synth, and
 * the report lands in `cdk.out/policy-validation-report.json`.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(...compliancePacks(app));
}
