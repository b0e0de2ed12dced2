/**
 * Where the browser test's Chromium comes from: a fresh machine with nothing but Node.js
 * and `npm ci` gets the one inside the `@sparticuz/chromium` package, and `CHROMIUM_PATH`
 * (the GitHub runners' Chrome) still wins over it.
 */
import { chromium } from 'playwright-core';
import { chooseChromium, definedOnly } from './browser/chromium';
import { bundledChromiumRunsHere, unpackBundledChromium } from './browser/bundled-chromium';

/** The environment without a browser named in it: what a fresh machine has. */
const UNNAMED: NodeJS.ProcessEnv = { ...process.env, CHROMIUM_PATH: undefined };

describe('the browser test chooses its Chromium', () => {
  it('takes CHROMIUM_PATH first, even where the package has a build', async () => {
    const choice = await chooseChromium({ ...UNNAMED, CHROMIUM_PATH: process.execPath });
    expect(choice).toMatchObject({ source: 'CHROMIUM_PATH', executablePath: process.execPath });
  });

  it('refuses a CHROMIUM_PATH that names no file rather than falling back', async () => {
    await expect(
      chooseChromium({ ...UNNAMED, CHROMIUM_PATH: '/nonexistent/chromium' }),
    ).rejects.toThrow('CHROMIUM_PATH names no file: /nonexistent/chromium');
  });

  // The package has one build, Linux x64; elsewhere the system's Chromium is the fallback.
  (bundledChromiumRunsHere() ? it : it.skip)(
    "launches the package's own Chromium when CHROMIUM_PATH is unset, with its own libraries",
    async () => {
      const choice = await chooseChromium(UNNAMED);
      const bundled = await unpackBundledChromium();
      expect(choice).toMatchObject({ source: 'bundled', executablePath: bundled?.executablePath });
      expect(choice.env['LD_LIBRARY_PATH']?.split(':')[0]).toBe(bundled?.libraryPath);

      const browser = await chromium.launch({
        executablePath: choice.executablePath,
        env: definedOnly(choice.env),
        args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
        timeout: 20_000,
      });
      try {
        // The package's major version is the browser's.
        expect(browser.version().split('.')[0]).toBe(bundled?.version.split('.')[0]);
        const page = await browser.newPage();
        await page.setContent('<button>Sign in</button>');
        expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
