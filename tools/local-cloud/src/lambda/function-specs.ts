import {
  FUNCTIONS,
  TAP_REGION,
  functionLogGroupName,
  type FunctionName,
  type ResourceNames,
} from '@tap/contracts';
import path from 'node:path';
import { LOCAL_ACCOUNT } from '../local-account';
import {
  functionEnvironment,
  physicalFunctionName,
  type EmulatorEndpoints,
} from './function-environment';
import type { FunctionSpec } from './function-runtime';

/** Every function, in a fixed order. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** Options of {@link functionSpecs}. */
export interface FunctionSpecsOptions {
  readonly workspaceRoot: string;
  readonly names: ResourceNames;
  readonly endpoints: EmulatorEndpoints;
  /** Bundle folders replacing `FUNCTIONS[name].bundleDir` (absolute or from the root). */
  readonly bundleDirs?: Partial<Record<FunctionName, string>>;
  /** Timeouts replacing `FUNCTIONS[name].timeoutSeconds`, in ms. */
  readonly timeoutsMs?: Partial<Record<FunctionName, number>>;
}

/** How each function runs locally: the stack's settings, pointed at the emulators. */
export function functionSpecs(options: FunctionSpecsOptions): Record<FunctionName, FunctionSpec> {
  const spec = (name: FunctionName): FunctionSpec => {
    const functionName = physicalFunctionName(name, options.names);
    const bundleDir = path.resolve(
      options.workspaceRoot,
      options.bundleDirs?.[name] ?? FUNCTIONS[name].bundleDir,
    );
    return {
      label: name,
      functionName,
      functionArn: `arn:aws:lambda:${TAP_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
      bundleFile: path.join(bundleDir, 'index.mjs'),
      memoryMb: FUNCTIONS[name].memoryMb,
      logGroupName: functionLogGroupName(functionName),
      env: functionEnvironment(name, options.names, options.endpoints),
      timeoutMs: options.timeoutsMs?.[name] ?? FUNCTIONS[name].timeoutSeconds * 1000,
    };
  };
  return Object.fromEntries(FUNCTION_NAMES.map((name) => [name, spec(name)])) as Record<
    FunctionName,
    FunctionSpec
  >;
}
