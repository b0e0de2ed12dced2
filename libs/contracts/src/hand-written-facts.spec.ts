/**
 * Every limit and header the code enforces is written once, in `openapi.yaml`, and read
 * from it (`contractFacts`, `ProblemTypes`, the document model). This scan fails when one of
 * them is written by hand anywhere else in the workspace's TypeScript and JavaScript: the
 * local cloud could then stay green while the stack, or the contract, moves on.
 *
 * Comment lines are not scanned: prose may name a header. A file that must hold a literal
 * is listed in {@link ALLOWED} with the reason; the list fails when an entry is no longer
 * needed, so it never outgrows what is true.
 *
 * `contracts:test` is not cached (project.json): its inputs are the whole workspace, and
 * declaring them would make Nx count every change as a change to the contract.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contractFacts } from './contract-facts';
import { PATH_ITEM_METHODS } from './document-model';

// Git's answer rather than a fixed `../..`: the scan reads what git tracks anyway. (The
// shared `findWorkspaceRoot` lives in test-support, which depends on this library.)
const WORKSPACE_ROOT = execFileSync('git', ['rev-parse', '--show-toplevel'], {
  cwd: __dirname,
  encoding: 'utf8',
}).trim();

/** One fact, and the forms a hand-written copy of it takes. */
interface Rule {
  readonly fact: string;
  /** Where code reads it instead. */
  readonly readFrom: string;
  /** Global, so every occurrence is reported. */
  readonly pattern: RegExp;
  /** Lines the pattern must find: proof that the scan can fail. */
  readonly examples: readonly string[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An array literal of two or more of `names`, quoted, and nothing else. */
function listOf(names: readonly string[], flags: string): RegExp {
  const name = `(?:${names.map(escapeRegExp).join('|')})`;
  const element = `(?:['"\`]${name}['"\`]|\\w+\\.${name})`;
  return new RegExp(`\\[\\s*(?:${element}\\s*,\\s*)+${element}\\s*,?\\s*\\]`, flags);
}

const METHODS = PATH_ITEM_METHODS.map((method) => method.toUpperCase());
const CORS_HEADERS = [...contractFacts.cors.allowHeaders, ...contractFacts.cors.exposeHeaders];

const RULES: readonly Rule[] = [
  {
    fact: 'the API key header',
    readFrom: 'API_KEY_HEADER',
    pattern: new RegExp(
      `(['"\`])[^'"\`\\n]*\\b${escapeRegExp(contractFacts.apiKeyHeader)}\\b[^'"\`\\n]*\\1`,
      'gi',
    ),
    examples: [
      `headers: { '${contractFacts.apiKeyHeader}': key }`,
      `for (const name of ["${contractFacts.apiKeyHeader.toUpperCase()}"]) send(name);`,
      `identitySource: ['$request.header.${contractFacts.apiKeyHeader}']`,
    ],
  },
  {
    fact: 'the request body limit',
    readFrom: 'MAX_REQUEST_BODY_BYTES',
    pattern: /\b(?:65536|65_536)\b|\b64\s*\*\s*1024\b|\b2\s*\*\*\s*16\b|\b1\s*<<\s*16\b/g,
    examples: ['const MAX_BODY_BYTES = 64 * 1024;', 'if (size > 65536) throw tooLarge();'],
  },
  {
    fact: 'the single-PUT upload ceiling',
    readFrom: 'MAX_UPLOAD_BYTES_LIMIT',
    pattern:
      /\b(?:5368709120|5_368_709_120)\b|\b5\s*\*\s*1024\s*\*\*\s*3\b|\b5\s*\*\s*1024\s*\*\s*1024\s*\*\s*1024\b|\b5\s*\*\s*2\s*\*\*\s*30\b/g,
    examples: ['export const LIMIT = 5 * 1024 ** 3;', "MAX_UPLOAD_BYTES: '5368709120'"],
  },
  {
    fact: 'the entity tag grammar',
    readFrom: 'ENTITY_TAG_PATTERN, IF_MATCH_PATTERN',
    pattern: /\[1-9\](?:\[0-9\]|\\d)\{0,14\}/g,
    examples: [
      'const ENTITY_TAG = /^(?:W\\/)?"([1-9][0-9]{0,14})"$/;',
      'const TAG = /^"[1-9]\\d{0,14}"$/;',
    ],
  },
  {
    fact: 'a problem type',
    readFrom: 'ProblemTypes',
    pattern: /urn:tap:problem:/g,
    examples: [
      "expect(body.type).toBe('urn:tap:problem:item-not-found');",
      'type: `urn:tap:problem:${name}`',
    ],
  },
  {
    fact: 'a list of CORS methods',
    readFrom: 'CORS_POLICY.allowMethods',
    pattern: listOf(METHODS, 'g'),
    examples: [
      "allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],",
      'allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],',
      "AllowMethods: [\n  'GET',\n  'OPTIONS',\n]",
    ],
  },
  {
    fact: 'a list of CORS headers',
    readFrom: 'CORS_POLICY.allowHeaders, CORS_POLICY.exposeHeaders',
    pattern: listOf(CORS_HEADERS, 'gi'),
    examples: [
      `exposeHeaders: [${contractFacts.cors.exposeHeaders.map((header) => `'${header}'`).join(', ')}],`,
      "allowHeaders: ['Content-Type', 'If-Match']",
    ],
  },
];

/** Files the scan skips entirely. */
const EXCLUDED: readonly { readonly path: RegExp; readonly reason: string }[] = [
  {
    path: /(^|\/)generated\//,
    reason: 'generated from openapi.yaml; check-generated fails when it is stale',
  },
  {
    path: /^libs\/contracts\/src\/index\.ts$/,
    reason: 'ProblemTypes: the constants themselves, checked against the enum both ways',
  },
  {
    path: /^libs\/contracts\/src\/hand-written-facts\.spec\.ts$/,
    reason: 'this scan: its rules and examples spell the forms it looks for',
  },
];

/** A file that may hold one fact's literal, and why. */
interface Allowance {
  readonly file: string;
  readonly fact: Rule['fact'];
  readonly reason: string;
}

const ALLOWED: readonly Allowance[] = [
  {
    file: 'tools/local-cloud/test/fixtures/authorizer/index.mjs',
    fact: 'the API key header',
    reason:
      'a fixture bundle the local cloud runs as plain JavaScript in a worker, where the contract cannot be imported',
  },
  {
    file: 'apps/infra/src/constructs/file-bucket.ts',
    fact: 'a list of CORS methods',
    reason:
      "the files bucket's CORS: the S3 methods presigned URLs use (PUT, GET, HEAD), not the API's operations",
  },
  {
    file: 'apps/infra/src/tap-stack.spec.ts',
    fact: 'a list of CORS methods',
    reason: "asserts the files bucket's CORS methods (S3's), not the API's",
  },
  {
    file: 'libs/contracts/src/document-model.spec.ts',
    fact: 'a list of CORS methods',
    reason: 'asserts what deriveContractFacts reads from a small made-up contract',
  },
  {
    file: 'libs/contracts/src/document-model.spec.ts',
    fact: 'a list of CORS headers',
    reason: 'asserts the headers the model reads from the contract, in their order',
  },
];

const SCANNED = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** The workspace's source files, tracked or new (not ignored), as relative paths. */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return listed
    .split('\n')
    .filter((file) => SCANNED.test(file))
    .filter((file) => !EXCLUDED.some((excluded) => excluded.path.test(file)))
    .filter((file) => existsSync(path.join(WORKSPACE_ROOT, file)));
}

/** Comment lines blanked (prose may name a header), line numbers kept. */
function codeOf(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^\s*(?:\*|\/\/|\/\*)/.test(line) ? '' : line))
    .join('\n');
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly fact: string;
  readonly text: string;
}

function findingsIn(file: string, text: string): Finding[] {
  const code = codeOf(text);
  return RULES.flatMap((rule) =>
    [...code.matchAll(rule.pattern)].map((match) => ({
      file,
      line: code.slice(0, match.index).split('\n').length,
      fact: rule.fact,
      text: match[0].replace(/\s+/g, ' '),
    })),
  );
}

const isAllowed = (finding: Finding): boolean =>
  ALLOWED.some((allowed) => allowed.file === finding.file && allowed.fact === finding.fact);

describe('limits and headers written by hand', () => {
  const files = sourceFiles();
  const findings = files.flatMap((file) =>
    findingsIn(file, readFileSync(path.join(WORKSPACE_ROOT, file), 'utf8')),
  );

  it('scans the workspace’s sources', () => {
    expect(files).toEqual(expect.arrayContaining(['libs/contracts/src/deployment.ts']));
    expect(files.filter((file) => file.startsWith('apps/')).length).toBeGreaterThan(20);
    expect(files.some((file) => file.includes('/generated/'))).toBe(false);
  });

  it.each(RULES.map((rule) => [rule.fact, rule] as const))(
    'recognises %s written by hand',
    (_fact, rule) => {
      for (const example of rule.examples) {
        expect(findingsIn('example.ts', example).map((finding) => finding.fact)).toContain(
          rule.fact,
        );
      }
    },
  );

  it('does not mistake prose in comments, other numbers or other lists for a copy', () => {
    const code = [
      '/** Sent in the `x-api-key` header. */',
      '// 65536 bytes, see the contract',
      "const port = 65535; const size = 640 * 1024; const pairs = [['GET', '/health']];",
      "const names = ['etag', '\"1\"'];",
    ].join('\n');
    expect(findingsIn('example.ts', code)).toEqual([]);
  });

  it('finds none outside the contract', () => {
    const report = findings
      .filter((finding) => !isAllowed(finding))
      .map((finding) => {
        const rule = RULES.find((candidate) => candidate.fact === finding.fact);
        return `${finding.file}:${finding.line}: ${finding.fact} written by hand (${finding.text}); read ${rule?.readFrom ?? 'it'} from @tap/contracts`;
      });
    expect(report).toEqual([]);
  });

  it('allows only literals that are still there, each for a reason', () => {
    const unused = ALLOWED.filter(
      (allowed) =>
        !findings.some((finding) => finding.file === allowed.file && finding.fact === allowed.fact),
    );
    expect(unused).toEqual([]);
    for (const allowed of ALLOWED) expect(allowed.reason.length).toBeGreaterThan(20);
  });
});
