/**
 * Headless Chromium for the browser test, driven by playwright-core (which ships no
 * browser). The first of these wins:
 *
 * 1. `CHROMIUM_PATH`, when set: any Chromium or Chrome binary (to try another browser; the
 *    workflows set none, and use the bundled one as every Linux x64 machine does);
 * 2. the Chromium inside the `@sparticuz/chromium` dev dependency, on Linux x64: `npm ci`
 *    is all a machine needs, nothing is installed globally and nothing is downloaded;
 * 3. the system's Chromium at `/usr/bin/chromium` (Debian's package), where the package has
 *    no build (arm64, macOS).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { unpackBundledChromium } from './bundled-chromium';

/** Where the system's Chromium is expected (Debian's package). */
export const SYSTEM_CHROMIUM_PATH = '/usr/bin/chromium';

/** Which browser the test drives, and why that one. */
export interface ChromiumChoice {
  readonly source: 'CHROMIUM_PATH' | 'bundled' | 'system';
  readonly executablePath: string;
  /** The environment to start it in. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Flags for a sandboxed CI container. The background-networking ones matter: without
 * them Chromium opens connections of its own (updates, sync, field trials) that the
 * sandbox refuses, and page loads stall behind them.
 */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Picks the browser, unpacking the bundled one the first time it is chosen.
 *
 * @param env where to read `CHROMIUM_PATH` from, and the environment the browser inherits.
 * @throws Error naming what was tried and how to provide a browser, when there is none: the
 *   browser test must fail, not pass vacuously. A `CHROMIUM_PATH` that names no file is an
 *   error too, not a reason to fall back to another browser than the one asked for.
 */
export async function chooseChromium(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChromiumChoice> {
  const named = env['CHROMIUM_PATH'];
  if (named !== undefined && named !== '') {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names no file: ${named}`);
    return { source: 'CHROMIUM_PATH', executablePath: named, env };
  }
  const bundled = await unpackBundledChromium();
  if (bundled) {
    // Its own NSS first, so the machine needs no library beyond glibc.
    const libraries = [bundled.libraryPath, env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
    return {
      source: 'bundled',
      executablePath: bundled.executablePath,
      env: { ...env, LD_LIBRARY_PATH: libraries },
    };
  }
  if (existsSync(SYSTEM_CHROMIUM_PATH)) {
    return { source: 'system', executablePath: SYSTEM_CHROMIUM_PATH, env };
  }
  throw new Error(
    `No Chromium: @sparticuz/chromium has no build for ${process.platform}-${process.arch} ` +
      `and there is none at ${SYSTEM_CHROMIUM_PATH}. Install one (Debian/Ubuntu: apt-get ` +
      'install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

/**
 * Launches the chosen Chromium with a fresh, throwaway profile (Playwright creates one per
 * launch and removes it on close).
 *
 * @throws Error as {@link chooseChromium} does, when there is no browser to launch.
 */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, env } = await chooseChromium();
  return chromium.launch({
    executablePath,
    env: definedOnly(env),
    args: CHROMIUM_ARGS,
    timeout: 20_000,
  });
}

/** An environment without its unset names, which Playwright would pass on as "undefined". */
export const definedOnly = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
