// `npm run --silent keys -- <command>`: issues, lists, revokes and rotates machine keys in
// the local cloud's key table, or in a deployed stack's (`--outputs cfn-outputs/<suffix>.json`).
// `create` and `rotate` print only the key on stdout, so `KEY=$(npm run --silent keys -- create ...)`
// works; everything else a person should read goes to stderr.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TAP_REGION } from '@tap/contracts';
import { dynamoDbDocumentClientFor, findWorkspaceRoot } from '@tap/test-support';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KEYS_USAGE, parseKeysCli, type KeysCommand } from './keys-cli-options';
import {
  createMachineKey,
  listMachineKeys,
  MachineKeyError,
  revokeMachineKey,
  rotateMachineKey,
  type KeyTable,
} from './keys/machine-keys';

/** What the command needs of an outputs file. */
interface KeyTableTarget {
  readonly tableName: string;
  /** The local cloud's emulator; absent for a deployed stack (AWS, your credentials). */
  readonly endpoint?: string;
}

/**
 * The key table named by an outputs file: the local cloud's flat one, or `cdk deploy
 * --outputs-file`'s, which nests each stack's outputs under its name.
 */
async function readTarget(file: string): Promise<KeyTableTarget> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new MachineKeyError(
      `cannot read ${file}: start the local cloud first (npm start), or pass a deployed stack's --outputs`,
    );
  }
  const record = parsed as Record<string, unknown>;
  const candidates = [record, ...Object.values(record)] as Record<string, unknown>[];
  const outputs = candidates.find(
    (candidate) => typeof candidate === 'object' && typeof candidate?.['KeyTableName'] === 'string',
  );
  if (!outputs) throw new MachineKeyError(`${file} names no KeyTableName`);
  const endpoint = outputs['DynamoDbEndpoint'];
  return {
    tableName: String(outputs['KeyTableName']),
    ...(typeof endpoint === 'string' ? { endpoint } : {}),
  };
}

function tableFor(target: KeyTableTarget): KeyTable {
  const client =
    target.endpoint === undefined
      ? DynamoDBDocumentClient.from(
          new DynamoDBClient({ region: process.env['AWS_REGION'] ?? TAP_REGION }),
          { marshallOptions: { removeUndefinedValues: true } },
        )
      : dynamoDbDocumentClientFor(target.endpoint);
  return { client, tableName: target.tableName };
}

async function run(
  table: KeyTable,
  command: Exclude<KeysCommand, { action: 'help' }>,
): Promise<void> {
  switch (command.action) {
    case 'create': {
      const issued = await createMachineKey(table, {
        tenant: command.tenant,
        scopes: command.scopes,
        ...(command.client === undefined ? {} : { client: command.client }),
        ...(command.expiresInSeconds === undefined
          ? {}
          : { expiresAt: new Date(Date.now() + command.expiresInSeconds * 1000) }),
      });
      console.error(
        `key ${issued.record.keyId} for tenant ${issued.record.tenant} (${issued.record.scopes.join(' ')}); shown only now`,
      );
      console.log(issued.key);
      return;
    }
    case 'list': {
      const records = await listMachineKeys(table, command.tenant);
      if (command.json) {
        console.log(JSON.stringify(records, null, 2));
        return;
      }
      const rows = records.map((record) => [
        record.keyId,
        record.tenant,
        record.client,
        record.scopes.join(' '),
        record.status,
        record.expiresAt ?? '-',
      ]);
      const header = ['KEY ID', 'TENANT', 'CLIENT', 'SCOPES', 'STATUS', 'EXPIRES'];
      const widths = header.map((title, column) =>
        Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
      );
      for (const row of [header, ...rows]) {
        console.log(
          row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd(),
        );
      }
      return;
    }
    case 'revoke': {
      const record = await revokeMachineKey(table, command.keyId);
      console.error(`key ${record.keyId} revoked at ${record.revokedAt ?? 'an earlier time'}`);
      return;
    }
    case 'rotate': {
      const { successor, predecessor } = await rotateMachineKey(
        table,
        command.keyId,
        command.overlapSeconds,
      );
      console.error(
        `key ${successor.record.keyId} replaces ${predecessor.keyId}, which expires at ${predecessor.expiresAt ?? '?'}`,
      );
      console.log(successor.key);
      return;
    }
  }
}

async function main(): Promise<number> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let options: ReturnType<typeof parseKeysCli>;
  try {
    options = parseKeysCli(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const { command } = options;
  if (command.action === 'help') {
    console.error(KEYS_USAGE);
    return 0;
  }
  const file = path.resolve(
    options.outputs ??
      process.env['LOCAL_CLOUD_OUTPUTS_FILE'] ??
      path.join(findWorkspaceRoot(), 'cfn-outputs', 'local.json'),
  );
  let table: KeyTable | undefined;
  try {
    table = tableFor(await readTarget(file));
    await run(table, command);
    return 0;
  } catch (error) {
    if (error instanceof MachineKeyError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    table?.client.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
