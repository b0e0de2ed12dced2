/**
 * Generates the TypeScript views of `openapi.yaml`:
 * - `src/generated/openapi-types.ts`: types from openapi-typescript;
 * - `src/generated/openapi-document.ts`: the document as a constant, so runtime code
 *   never parses YAML and bundles only what it uses;
 * - `src/generated/contract-facts.ts`: what the code enforces outside the schemas (the API
 *   key header, the CORS policy, the body limit, the entity tag grammar), derived by the
 *   document model. A few literals: a function that needs one header name does not bundle
 *   the whole document to read it.
 *
 * `--check` writes nothing and exits non-zero when a generated file is stale, so the
 * test run fails when someone edits the spec without regenerating (or edits the output).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import {
  createDocumentModel,
  deriveContractFacts,
  type ContractDocument,
  type ContractFacts,
} from '../src/document-model';

const projectRoot = path.resolve(__dirname, '..');
const specPath = path.join(projectRoot, 'openapi.yaml');
const outDir = path.join(projectRoot, 'src', 'generated');

const HEADER = [
  '/**',
  ' * DO NOT EDIT: generated from libs/contracts/openapi.yaml by `nx run contracts:generate`.',
  ' * `nx run contracts:check-generated` (part of `npm test`) fails when this file is stale.',
  ' */',
  '',
].join('\n');

/**
 * The facts as one constant each (nested ones prefixed: `corsAllowHeaders`), so a bundle
 * keeps only those it reads, then all of them as `contractFacts`.
 */
function renderFacts(facts: ContractFacts): string {
  const capitalized = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const isGroup = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const constants: string[] = [];
  const members: string[] = [];
  for (const [name, value] of Object.entries(facts)) {
    if (!isGroup(value)) {
      constants.push(`export const ${name} = ${JSON.stringify(value)} as const;`);
      members.push(`  ${name},`);
      continue;
    }
    const group: string[] = [];
    for (const [member, memberValue] of Object.entries(value)) {
      const constant = `${name}${capitalized(member)}`;
      constants.push(`export const ${constant} = ${JSON.stringify(memberValue)} as const;`);
      group.push(`    ${member}: ${constant},`);
    }
    members.push(`  ${name}: {\n${group.join('\n')}\n  },`);
  }
  return (
    `// What the code enforces outside the schemas, derived by \`deriveContractFacts\` (src/document-model.ts).\n\n` +
    `${constants.join('\n')}\n\n` +
    `/** Every fact, as \`deriveContractFacts\` returns them. */\n` +
    `export const contractFacts = {\n${members.join('\n')}\n} as const;\n`
  );
}

async function render(): Promise<Record<string, string>> {
  const specText = readFileSync(specPath, 'utf8');
  const document: unknown = parse(specText);
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], {
    alphabetize: false,
    exportType: false,
  });
  const types = `${HEADER}\n${astToString(ast)}`;
  const documentModule =
    `${HEADER}\n` +
    `/** The OpenAPI document, as data. */\n` +
    `export const openApiDocument = ${JSON.stringify(document, null, 2)} as const;\n\n` +
    `/** The OpenAPI document's type. */\n` +
    `export type OpenApiDocument = typeof openApiDocument;\n`;
  const facts = deriveContractFacts(createDocumentModel(document as ContractDocument));
  const factsModule = `${HEADER}\n${renderFacts(facts)}`;
  return {
    'openapi-types.ts': types,
    'openapi-document.ts': documentModule,
    'contract-facts.ts': factsModule,
  };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await render();
  const stale: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(outDir, name);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale.push(path.relative(process.cwd(), target));
    } else {
      writeFileSync(target, content);
      console.log(`wrote ${path.relative(process.cwd(), target)}`);
    }
  }
  if (stale.length > 0) {
    console.error(
      `Generated contract files are stale: ${stale.join(', ')}.\n` +
        'Run `npx nx run contracts:generate` and commit the result.',
    );
    process.exitCode = 1;
  } else if (check) {
    console.log('Generated contract files are up to date.');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
