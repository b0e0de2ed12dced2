import type { Template } from 'aws-cdk-lib/assertions';
import { protectedApp, resources, synthesize, type TemplateResource } from './testing/template';
import type { TapStack } from './tap-stack';

/** The resources of `type`, by logical id. */
const ofType = (template: Template, type: string): TemplateResource[] =>
  Object.values(resources(template)).filter((resource) => resource.Type === type);

/** The resources holding an environment's data and what protects it. */
const DATA_TYPES = [
  'AWS::KMS::Key',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::SecretsManager::Secret',
  'AWS::Cognito::UserPool',
] as const;

describe('environments', () => {
  // A default protected environment, and one protected by context.
  describe.each([
    ['prod' as const, {}],
    ['live' as const, { protectedEnvironments: ['live'] }],
  ])('protected environment %s', (suffix, context) => {
    let template: Template;
    let stack: TapStack;

    beforeAll(() => {
      ({ template, stack } = synthesize(protectedApp(suffix, context)));
    });

    it('retains its key, tables, bucket, secret and user pool when the stack goes', () => {
      for (const type of DATA_TYPES) {
        const found = ofType(template, type);
        expect(found.length).toBeGreaterThan(0);
        for (const resource of found) {
          expect({
            type,
            policies: [resource.DeletionPolicy, resource.UpdateReplacePolicy],
          }).toEqual({
            type,
            policies: ['Retain', 'Retain'],
          });
        }
      }
    });

    it('protects the four tables and the user pool from deletion, and keeps point-in-time recovery', () => {
      const tables = ofType(template, 'AWS::DynamoDB::GlobalTable');
      expect(tables).toHaveLength(4);
      for (const table of tables) {
        expect(table.Properties?.Replicas).toEqual([
          expect.objectContaining({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ]);
      }
      const [userPool] = ofType(template, 'AWS::Cognito::UserPool');
      expect(userPool?.Properties?.DeletionProtection).toBe('ACTIVE');
    });

    it('never empties the bucket: no auto-delete custom resource, provider or policy grant', () => {
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('AutoDeleteObjects');
    });

    it('has termination protection on', () => {
      expect(stack.terminationProtection).toBe(true);
    });
  });

  describe('developer stack', () => {
    let template: Template;
    let stack: TapStack;

    beforeAll(() => {
      ({ template, stack } = synthesize({ environmentSuffix: 'alice' }));
    });

    it('deletes its key, tables, bucket, secret and user pool with the stack, and empties the bucket first', () => {
      for (const type of DATA_TYPES) {
        const found = ofType(template, type);
        expect(found.length).toBeGreaterThan(0);
        for (const resource of found) {
          expect({ type, policy: resource.DeletionPolicy }).toEqual({ type, policy: 'Delete' });
        }
      }
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });

    it('keeps point-in-time recovery but not deletion protection', () => {
      const tables = ofType(template, 'AWS::DynamoDB::GlobalTable');
      expect(tables).toHaveLength(4);
      for (const table of tables) {
        const [replica] = table.Properties?.Replicas as Record<string, unknown>[];
        expect(replica?.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(replica?.DeletionProtectionEnabled).not.toBe(true);
      }
      const [userPool] = ofType(template, 'AWS::Cognito::UserPool');
      expect(userPool?.Properties?.DeletionProtection).toBe('INACTIVE');
    });

    it('has no termination protection', () => {
      expect(stack.terminationProtection).toBe(false);
    });

    it('stops being protected when context protectedEnvironments no longer lists it, and disposableEnvironments does', () => {
      const { stack: prod } = synthesize({
        environmentSuffix: 'prod',
        context: { protectedEnvironments: 'live', disposableEnvironments: 'prod' },
      });
      expect(prod.terminationProtection).toBe(false);
    });
  });
});
