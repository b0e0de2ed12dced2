/**
 * Generates `src/handlers/http/generated/request-validators.ts`: the request validators of every
 * operation the API function serves, compiled by ajv at build time into plain JavaScript
 * (ajv standalone code).
 *
 * Why: compiling at cold start meant loading ajv itself (its compiler, fast-uri, the
 * formats) into every container and running it on the first request of each operation.
 * The generated module holds only the compiled functions and the few small ajv runtime
 * helpers they call, so the bundle parses no compiler and the first request compiles
 * nothing. The schemas come from `src/handlers/http/request-schemas.ts`, built from the
 * contract's document model, which the runtime validator reads too; ajv runs with the
 * contract's options (`CONTRACT_AJV_OPTIONS`), as every other reader of the contract's
 * schemas does, so the errors (and the problem details built from them) are the same.
 *
 * `--check` writes nothing and exits non-zero when the file is stale, so `npm test`
 * (`nx run api-handlers:check-generated`) fails when someone edits the contract without
 * regenerating (or edits the output).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_AJV_OPTIONS, documentModel, PARAMETER_LOCATIONS } from '@tap/contracts';
import { _ } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import addFormats from 'ajv-formats';
import { format, resolveConfig } from 'prettier';
import {
  bodySchema,
  parameterSchema,
  requestPlan,
  requestValidatorKey,
  type RequestPlan,
} from '../src/handlers/http/request-schemas';

const projectRoot = path.resolve(__dirname, '..');
const target = path.join(
  projectRoot,
  'src',
  'handlers',
  'http',
  'generated',
  'request-validators.ts',
);

const HEADER = [
  '/**',
  ' * DO NOT EDIT: generated from libs/contracts/openapi.yaml by',
  ' * `nx run api-handlers:generate-validators` (apps/api-handlers/scripts/generate-validators.ts).',
  ' * `nx run api-handlers:check-generated` (part of `npm test`) fails when this file is stale.',
  ' *',
  " * Ajv's standalone code of the request validators: plain JavaScript, typed by the",
  ' * `requestValidators` declaration at the end.',
  ' */',
  // First, so that lint does not flag the @ts-nocheck either.
  '/* eslint-disable */',
  '// @ts-nocheck',
  '',
].join('\n');

/** The ajv instance the validators are compiled with: the contract's options, as source. */
function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    ...CONTRACT_AJV_OPTIONS,
    code: {
      source: true,
      esm: true,
      // Formats that are regular expressions are inlined as literals; any other format a
      // schema uses is taken from ajv-formats at run time through this expression.
      formats: _`require("ajv-formats/dist/formats").fullFormats`,
    },
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Ajv's standalone code still reaches its runtime helpers (and function formats) through
 * `require(...)`, even in ESM mode. Each becomes a namespace import, which esbuild bundles
 * and tree-shakes like any other.
 */
function requiresToImports(code: string): string {
  const modules = new Map<string, string>();
  const body = code.replace(/require\("([^"]+)"\)/g, (_match, specifier: string) => {
    let name = modules.get(specifier);
    if (!name) {
      name = `runtime${modules.size}`;
      modules.set(specifier, name);
    }
    return name;
  });
  const imports = [...modules].map(
    ([specifier, name]) => `import * as ${name} from '${specifier}';`,
  );
  return `${imports.join('\n')}\n\n${body.replace(/^"use strict";/, '')}`;
}

async function render(): Promise<string> {
  const ajv = createAjv();
  // One validator per distinct schema: many operations share a shape (no query parameters,
  // the item id in the path), and the module holds each compiled function once.
  const exportBySchema = new Map<string, string>();
  const exportByKey = new Map<string, string>();
  const exports: Record<string, string> = {};
  const add = (key: string, schema: Record<string, unknown>): void => {
    const json = JSON.stringify(schema);
    let name = exportBySchema.get(json);
    if (!name) {
      name = `validator${exportBySchema.size}`;
      exportBySchema.set(json, name);
      ajv.addSchema(schema, name);
      exports[name] = name;
    }
    exportByKey.set(key, name);
  };
  const served = documentModel.operations.filter((operation) => operation.handler === 'api');
  const plans: Record<string, RequestPlan> = {};
  for (const operation of served) {
    const { operationId } = operation;
    plans[operationId] = requestPlan(documentModel, operation);
    for (const location of PARAMETER_LOCATIONS) {
      add(requestValidatorKey(operationId, location), parameterSchema(operation, location));
    }
    const body = bodySchema(operation);
    if (body) add(requestValidatorKey(operationId, 'body'), body);
  }

  const table = [...exportByKey]
    .map(([key, name]) => `  ${JSON.stringify(key)}: ${name},`)
    .join('\n');
  const source =
    `${HEADER}\n` +
    `import type { ValidateFunction } from 'ajv';\n` +
    `import type { RequestPlan } from '../request-schemas';\n` +
    `${requiresToImports(standaloneCode(ajv, exports))}\n\n` +
    `/** The validator of each request part, by \`<operationId>/<path|query|header|body>\`. */\n` +
    `export const requestValidators: Readonly<Record<string, ValidateFunction>> = {\n${table}\n};\n\n` +
    `/** What the validator picks out of a request, by operation (see \`RequestPlan\`). */\n` +
    `export const requestPlans: Readonly<Record<string, RequestPlan>> = ${JSON.stringify(plans)};\n`;
  const options = await resolveConfig(target);
  return format(source, { ...options, filepath: target });
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const content = await render();
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  const relative = path.relative(process.cwd(), target);
  if (current === content) {
    if (check) console.log(`${relative} is up to date.`);
    return;
  }
  if (check) {
    console.error(
      `${relative} is stale.\n` +
        'Run `npx nx run api-handlers:generate-validators` and commit the result.',
    );
    process.exitCode = 1;
    return;
  }
  writeFileSync(target, content);
  console.log(`wrote ${relative}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
