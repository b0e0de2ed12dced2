/**
 * Headless Chromium for the browser test, driven by playwright-core (which ships no
 * browser): the system Chromium, `/usr/bin/chromium` unless `CHROMIUM_PATH` says otherwise.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the Chromium binary is expected when `CHROMIUM_PATH` is not set (Debian's package). */
const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

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
 * Launches Chromium with a fresh, throwaway profile (Playwright creates one per launch and
 * removes it on close).
 *
 * @throws Error naming the path tried and how to provide a browser, when there is none:
 *   the browser test must fail, not pass vacuously, on a machine without Chromium.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install it (Debian/Ubuntu: apt-get install chromium) ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 20_000 });
}
