// The GitHub OIDC provider and the roles the workflows assume in one TAP account, as a
// CloudFormation template on stdout (see docs/delivery.md). Usage:
//   tsx apps/infra/scripts/deploy-roles.ts --kind production --account <id> \
//     --repository <owner>/<repo> > deploy-roles.json
//   aws cloudformation deploy --stack-name TapDeployRoles --template-file deploy-roles.json \
//     --capabilities CAPABILITY_NAMED_IAM
// `--existing-oidc-provider` when the account already has GitHub's provider; `--qualifier`
// when its CDK bootstrap does not use the default one.
import { deployRolesTemplate, parseDeployRolesArgs } from '../src/deploy-roles-app';

try {
  const template = deployRolesTemplate(parseDeployRolesArgs(process.argv.slice(2)));
  console.log(JSON.stringify(template, null, 2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
