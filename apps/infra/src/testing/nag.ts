/**
 * Test helpers for cdk-nag: what a scope acknowledges, and what the packs find in it with
 * and without those acknowledgements.
 */
import { Stack, Validations, type App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { compliancePacks } from '../compliance';

/** One acknowledged finding: where (path below the stack) and which. */
export interface AcknowledgedFinding {
  /** Construct path below the stack. */
  readonly path: string;
  /** Full construct path. */
  readonly fullPath: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded with `Validations.of(...).acknowledge` under `root`. */
export function acknowledgedFindings(root: IConstruct): AcknowledgedFinding[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path.replace(`${Stack.of(construct).node.path}/`, ''),
          fullPath: construct.node.path,
          // The CDK records plain ids in its annotation namespace.
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The packs' findings on `app`, acknowledgements ignored: `<rule> <construct path>`. */
export function findingsIgnoringAcknowledgements(app: App): string[] {
  return compliancePacks().flatMap((pack) => {
    // The packs' own check; disabling it shows what each acknowledgement hides.
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    return pack
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (resource) => `${violation.ruleName} ${resource.constructPath ?? ''}`,
        ),
      );
  });
}

/** The packs' unacknowledged findings on `app`. */
export function unacknowledgedFindings(app: App): string[] {
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName}: ${violation.violatingResources
            .map((resource) => resource.constructPath)
            .join(', ')}`,
      ),
  );
}

/** `value` as a literal inside a regular expression. */
export function literal(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The acknowledgements under `app` that do not earn their place: each must hide a finding
 * the packs raise at its construct or below it, and say why in more than 40 characters.
 * Empty when every one does.
 */
export function idleAcknowledgements(app: App): string[] {
  const raised = findingsIgnoringAcknowledgements(app);
  return acknowledgedFindings(app).flatMap(({ fullPath, id, reason }) => {
    const at = new RegExp(`^${literal(id)} ${literal(fullPath)}(/|$)`);
    const problems: string[] = [];
    if (!raised.some((finding) => at.test(finding))) {
      problems.push(`${id} at ${fullPath}: no such finding to acknowledge`);
    }
    if (reason.length <= 40) problems.push(`${id} at ${fullPath}: reason too short`);
    return problems;
  });
}
