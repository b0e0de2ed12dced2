import { isDeepStrictEqual } from 'node:util';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { FunctionName } from '@tap/contracts';
import { CODEDEPLOY_LAMBDA_POLICY } from './constructs/function-deployments';
import { alarmName } from './constructs/tap-alarms';
import {
  FUNCTION_NAMES,
  functionNameOf,
  liveAliasIdOf,
  logicalIdOf,
  protectedApp,
  refTo,
  resources,
  synthesize,
  TEST_SUFFIX,
} from './testing/template';

/** The functions that answer HTTP requests: the API's 5xx rate is theirs too. */
const SERVES_HTTP: readonly FunctionName[] = ['health', 'api', 'authorizer'];

/** Logical id of the alarm named `name`. */
const alarmIdOf = (template: Template, name: string): string =>
  logicalIdOf(template, 'AWS::CloudWatch::Alarm', { AlarmName: name });

describe('gradual deployment', () => {
  describe('of a protected environment', () => {
    let template: Template;

    beforeAll(() => {
      ({ template } = synthesize(protectedApp()));
    });

    it('has one CodeDeploy application for Lambda and one deployment group per function', () => {
      template.resourceCountIs('AWS::CodeDeploy::Application', 1);
      template.hasResourceProperties('AWS::CodeDeploy::Application', {
        ApplicationName: 'tap-functions-prod',
        ComputePlatform: 'Lambda',
      });
      template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', FUNCTION_NAMES.length);
      for (const fn of FUNCTION_NAMES) {
        template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
          DeploymentGroupName: `tap-${fn}-prod`,
          ApplicationName: refTo(logicalIdOf(template, 'AWS::CodeDeploy::Application')),
        });
      }
    });

    it.each(FUNCTION_NAMES.map((fn) => [fn]))(
      "shifts the %s function's live alias 10% for 5 minutes, then all, rolled back on failure and on its alarms",
      (fn) => {
        const groupId = logicalIdOf(template, 'AWS::CodeDeploy::DeploymentGroup', {
          DeploymentGroupName: `tap-${fn}-prod`,
        });
        const group = resources(template)[groupId]?.Properties ?? {};
        expect(group.DeploymentConfigName).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
        expect(group.DeploymentStyle).toEqual({
          DeploymentType: 'BLUE_GREEN',
          DeploymentOption: 'WITH_TRAFFIC_CONTROL',
        });
        expect(group.AutoRollbackConfiguration).toEqual({
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
        });
        // Its own errors, and for what answers HTTP requests the API's 5xx rate: the alarms
        // the stack already pages on.
        const alarms = [
          alarmName(`${fn}-errors`, 'prod'),
          ...(SERVES_HTTP.includes(fn) ? [alarmName('api-5xx-rate', 'prod')] : []),
        ];
        expect(group.AlarmConfiguration).toEqual({
          Enabled: true,
          Alarms: alarms.map((name) => ({ Name: refTo(alarmIdOf(template, name)) })),
        });
        // The alias is what CodeDeploy moves: CloudFormation hands its update to the group.
        const aliasId = liveAliasIdOf(template, functionNameOf(fn, 'prod'));
        const alias = (
          template.toJSON() as { Resources: Record<string, { UpdatePolicy?: unknown }> }
        ).Resources[aliasId];
        expect(alias?.UpdatePolicy).toEqual({
          CodeDeployLambdaAliasUpdate: {
            ApplicationName: refTo(logicalIdOf(template, 'AWS::CodeDeploy::Application')),
            DeploymentGroupName: refTo(groupId),
          },
        });
      },
    );

    it('gives every group one service role, assumable by CodeDeploy only, holding only the managed Lambda policy', () => {
      const roleIds = new Set(
        Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup')).map(
          (group) =>
            (group.Properties as { ServiceRoleArn: { 'Fn::GetAtt': [string, string] } })
              .ServiceRoleArn['Fn::GetAtt'][0],
        ),
      );
      expect(roleIds.size).toBe(1);
      const role = resources(template)[[...roleIds][0] as string]?.Properties ?? {};
      expect(role.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'codedeploy.amazonaws.com' },
          },
        ],
      });
      expect(role.ManagedPolicyArns).toEqual([
        {
          'Fn::Join': [
            '',
            ['arn:', refTo('AWS::Partition'), `:iam::aws:policy/${CODEDEPLOY_LAMBDA_POLICY}`],
          ],
        },
      ]);
      expect(role.Policies).toBeUndefined();
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    it('lets API Gateway and S3 invoke the live aliases only, the authorizer included', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map(
        (permission) => permission.Properties as { FunctionName: unknown; Principal: string },
      );
      const aliasIds = FUNCTION_NAMES.map((fn) =>
        liveAliasIdOf(template, functionNameOf(fn, 'prod')),
      );
      expect(permissions.length).toBeGreaterThan(0);
      const unqualified = permissions.filter(
        (permission) =>
          !aliasIds.some((id) => isDeepStrictEqual(permission.FunctionName, refTo(id))),
      );
      expect(unqualified).toEqual([]);
      const authorizerAlias = liveAliasIdOf(template, functionNameOf('authorizer', 'prod'));
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Principal: 'apigateway.amazonaws.com',
        FunctionName: refTo(authorizerAlias),
        SourceArn: { 'Fn::Join': ['', Match.arrayWith(['/authorizers/'])] },
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([refTo(authorizerAlias)])] },
      });
    });
  });

  it('takes the strategy from context, per environment', () => {
    const { template } = synthesize(
      protectedApp('prod', {
        environments: { prod: { deployment: { strategy: 'linear10-1min' } } },
      }),
    );
    const configs = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup')).map(
      (group) => (group.Properties as { DeploymentConfigName: string }).DeploymentConfigName,
    );
    expect(configs).toEqual(
      FUNCTION_NAMES.map(() => 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'),
    );
  });

  it('has no CodeDeploy in a protected environment deployed all at once', () => {
    const { template } = synthesize(
      protectedApp('prod', { deployment: { strategy: 'all-at-once' } }),
    );
    template.resourceCountIs('AWS::CodeDeploy::Application', 0);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
  });

  describe('of a developer stack', () => {
    let template: Template;

    beforeAll(() => {
      ({ template } = synthesize());
    });

    it('has no CodeDeploy at all: the aliases move with the stack update', () => {
      template.resourceCountIs('AWS::CodeDeploy::Application', 0);
      template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
      for (const alias of Object.values(template.findResources('AWS::Lambda::Alias'))) {
        expect(alias.UpdatePolicy).toBeUndefined();
      }
    });

    it("still routes every request to the live alias of its function's current version", () => {
      for (const fn of FUNCTION_NAMES) {
        const functionName = functionNameOf(fn, TEST_SUFFIX);
        const aliasId = liveAliasIdOf(template, functionName);
        const alias = resources(template)[aliasId]?.Properties ?? {};
        const versionId = (alias.FunctionVersion as { 'Fn::GetAtt': [string, string] })[
          'Fn::GetAtt'
        ][0];
        expect(resources(template)[versionId]?.Type).toBe('AWS::Lambda::Version');
      }
      const integrationUris = Object.values(
        template.findResources('AWS::ApiGatewayV2::Integration'),
      ).map(
        (integration) => (integration.Properties as { IntegrationUri: unknown }).IntegrationUri,
      );
      expect(integrationUris).toEqual(
        expect.arrayContaining([
          refTo(liveAliasIdOf(template, functionNameOf('health'))),
          refTo(liveAliasIdOf(template, functionNameOf('api'))),
        ]),
      );
      expect(integrationUris).toHaveLength(2);
    });
  });
});
