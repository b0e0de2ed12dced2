// `npx tsx tools/local-cloud/src/token-cli.ts --user alice`: prints a token of the running
// local cloud's issuer, and only the token, so `$(...)` can put it in a header. It asks the
// issuer's local minting endpoint, found through the outputs file `npm start` writes.
import { findWorkspaceRoot } from '@tap/test-support';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTokenCliOptions, TOKEN_USAGE, type TokenCliOptions } from './token-cli-options';

const START_FIRST = 'start the local cloud first: npm start';

/** Where the command writes: stdout gets the credential only. */
export interface TokenCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** A failure the command reports in one line. */
class TokenCliError extends Error {}

async function issuerUrlFrom(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TokenCliError(`There is no outputs file ${file}: ${START_FIRST}`);
    }
    throw error;
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch {
    throw new TokenCliError(`The outputs file ${file} is not JSON: ${START_FIRST}`);
  }
  const issuerUrl = (outputs as Readonly<Record<string, unknown>> | null)?.['IssuerUrl'];
  if (typeof issuerUrl !== 'string' || !URL.canParse(issuerUrl)) {
    throw new TokenCliError(`The outputs file ${file} has no IssuerUrl: ${START_FIRST}`);
  }
  return issuerUrl;
}

async function requestToken(options: TokenCliOptions, issuerUrl: string): Promise<string> {
  const endpoint = `${new URL(issuerUrl).origin}/local/tokens`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: options.user,
        ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
        ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
        ...(options.expiresInSeconds === undefined
          ? {}
          : { expiresInSeconds: options.expiresInSeconds }),
      }),
    });
  } catch {
    throw new TokenCliError(`The local issuer at ${endpoint} does not answer: ${START_FIRST}`);
  }
  const body = (await response.json().catch(() => ({}))) as Readonly<Record<string, unknown>>;
  if (response.status === 400 && typeof body['message'] === 'string') {
    throw new TokenCliError(body['message']);
  }
  const token = options.idToken ? body['idToken'] : body['accessToken'];
  if (!response.ok || typeof token !== 'string') {
    throw new TokenCliError(`The local issuer at ${endpoint} answered HTTP ${response.status}`);
  }
  return token;
}

/**
 * Runs the command: the token on stdout, a one-line reason on stderr otherwise.
 *
 * @returns the exit code (0, or 1 on any failure).
 */
export async function runTokenCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: TokenCliIo,
): Promise<number> {
  try {
    const options = parseTokenCliOptions(argv, env);
    if (options.help) {
      io.stdout(`${TOKEN_USAGE}\n`);
      return 0;
    }
    const outputsFile = path.resolve(
      options.outputsFile ?? path.join(findWorkspaceRoot(), 'cfn-outputs', 'local.json'),
    );
    io.stdout(`${await requestToken(options, await issuerUrlFrom(outputsFile))}\n`);
    return 0;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runTokenCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
