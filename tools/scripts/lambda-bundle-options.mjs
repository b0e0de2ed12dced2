// esbuild settings every Lambda bundle shares: `bundle-lambdas.mjs` builds the functions
// with them, and the benchmarks build their baselines with the same, so a comparison is
// never skewed by a different target or prelude.

/** esbuild target matching the Lambda runtime the stack deploys. */
export const LAMBDA_TARGET = 'node24';

/**
 * Prelude of every output file. Some CommonJS dependencies call `require()` on Node
 * built-ins, which an ES module does not have; this gives them one. It is made on the
 * first call, not when the file loads: every chunk carries the prelude, and most never
 * call it, so a cold start does not pay for one `createRequire` per file. Only calls are
 * supported (`require.resolve` and friends are not), which `bundle-lambdas.mjs` checks.
 */
export const REQUIRE_BANNER =
  "import { createRequire as __tapCreateRequire } from 'node:module'; " +
  'let __tapRequire; ' +
  'const require = (id) => (__tapRequire ??= __tapCreateRequire(import.meta.url))(id);';

/** What the prelude's `require` cannot do: output using it must not be shipped. */
export const UNSUPPORTED_REQUIRE_USE = /\brequire\.(resolve|cache|main|extensions)\b/;

/**
 * aws-jwt-verify picks its runtime glue through the `#node-web-compat` import: the Node
 * variant fetches with `node:https` and verifies with `node:crypto`; the web variant uses
 * `fetch` and Web Crypto, both built into the Lambda runtime. The Node variant imports
 * `https` at load (and with it `tls`), about 5 ms of every cold start, although the
 * authorizer fetches a JWKS rarely, and then with `fetch`. So bundles take the web variant.
 *
 * @type {import('esbuild').Plugin}
 */
export const JWT_VERIFY_WEB_COMPAT = {
  name: 'aws-jwt-verify-web-compat',
  setup(build) {
    build.onResolve({ filter: /^#node-web-compat$/ }, (args) =>
      /[\\/]aws-jwt-verify[\\/]/.test(args.importer)
        ? { path: args.importer.replace(/[^\\/]+$/, 'node-web-compat-web.js') }
        : undefined,
    );
  },
};

/**
 * The esbuild options of every Lambda bundle, without its entry, output folder or metafile.
 *
 * @type {Readonly<import('esbuild').BuildOptions>}
 */
export const LAMBDA_BUNDLE_OPTIONS = Object.freeze({
  // Code behind import() (the presigner, Parameters, Tracer and the X-Ray SDK, SDK
  // credential providers) goes to chunks beside index.mjs and is parsed only when that
  // import() runs: a cold start pays for what its first request needs, no more.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_TARGET,
  minify: true,
  // Prefer the ES module builds of dependencies: they tree-shake.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  banner: { js: REQUIRE_BANNER },
  // Maps beside every bundle, deployed with it: a stack trace from a minified bundle resolves
  // through them. The functions do not run with `--enable-source-maps` (see the function
  // model): reading the maps at load would cost every cold start.
  sourcemap: true,
  plugins: [JWT_VERIFY_WEB_COMPAT],
});
