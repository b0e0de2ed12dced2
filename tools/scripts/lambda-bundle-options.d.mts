// Types of lambda-bundle-options.mjs, for the TypeScript that imports it (the benchmarks).
import type { BuildOptions } from 'esbuild';

/** esbuild target matching the Lambda runtime the stack deploys. */
export declare const LAMBDA_TARGET: string;
/** Prelude of every output file: a `require()` made on its first call. */
export declare const REQUIRE_BANNER: string;
/** What the prelude's `require` cannot do. */
export declare const UNSUPPORTED_REQUIRE_USE: RegExp;
/** The esbuild options of every Lambda bundle, without entry, output folder, maps, metafile. */
export declare const LAMBDA_BUNDLE_OPTIONS: Readonly<BuildOptions>;
