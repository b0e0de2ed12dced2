import {
  FUNCTION_NAMES,
  TAP_REGION,
  deployedFunctions,
  functionLogGroupName,
  type FileQuotas,
  type FunctionName,
  type ResourceNames,
  type TokenIssuerSettings,
} from '@tap/contracts';
import path from 'node:path';
import { LOCAL_ACCOUNT } from '../local-account';
import { functionEnvironment, type EmulatorEndpoints } from './function-environment';
import type { FunctionSpec } from './function-runtime';

/** Every function, in a fixed order. */
export { FUNCTION_NAMES };

/** Options of {@link functionSpecs}. */
export interface FunctionSpecsOptions {
  readonly workspaceRoot: string;
  readonly names: ResourceNames;
  readonly endpoints: EmulatorEndpoints;
  /** The local issuer, whose tokens the authorizer accepts (its JWKS given inline). */
  readonly tokens: TokenIssuerSettings;
  /** Bundle folders replacing the model's `bundleDir` (absolute or from the root). */
  readonly bundleDirs?: Partial<Record<FunctionName, string>>;
  /** `POWERTOOLS_LOG_LEVEL` replacing the model's (`npm start -- --log-level debug`). */
  readonly logLevel?: string;
  /** Timeouts replacing the model's `timeoutSeconds`, in ms. */
  readonly timeoutsMs?: Partial<Record<FunctionName, number>>;
  /** Caps of an item's files, lower than the contract's (`deployedFunctions`' `fileQuotas`). */
  readonly fileQuotas?: Partial<FileQuotas>;
}

/**
 * How each function runs locally: the contract's model of it (as the stack deploys it),
 * pointed at the emulators.
 */
export function functionSpecs(options: FunctionSpecsOptions): Record<FunctionName, FunctionSpec> {
  const models = deployedFunctions({
    names: options.names,
    tokens: options.tokens,
    ...(options.fileQuotas ? { fileQuotas: options.fileQuotas } : {}),
  });
  const spec = (name: FunctionName): FunctionSpec => {
    const model = models[name];
    const bundleDir = path.resolve(
      options.workspaceRoot,
      options.bundleDirs?.[name] ?? model.bundleDir,
    );
    return {
      label: name,
      functionName: model.physicalName,
      functionArn: `arn:aws:lambda:${TAP_REGION}:${LOCAL_ACCOUNT}:function:${model.physicalName}`,
      bundleFile: path.join(bundleDir, model.handler.replace(/\.[^.]+$/, '.mjs')),
      memoryMb: model.memoryMb,
      logGroupName: functionLogGroupName(model.physicalName),
      env: {
        ...functionEnvironment(model, options.endpoints),
        ...(options.logLevel ? { POWERTOOLS_LOG_LEVEL: options.logLevel } : {}),
      },
      timeoutMs: options.timeoutsMs?.[name] ?? model.timeoutSeconds * 1000,
      ...(model.bucketEvents ? { bucketEvents: model.bucketEvents } : {}),
    };
  };
  return Object.fromEntries(FUNCTION_NAMES.map((name) => [name, spec(name)])) as Record<
    FunctionName,
    FunctionSpec
  >;
}
