/**
 * The Chromium that the `@sparticuz/chromium` dev dependency carries inside its npm package:
 * a brotli-compressed headless shell for Linux x64 and, beside it, the few shared libraries
 * it needs beyond glibc (NSS, NSPR, expat, built for Amazon Linux 2023). npm installs it
 * like any file, with no install script and no download; this module unpacks it once into
 * the temp directory. Only the package's files are used, not its code, which unpacks to
 * fixed, unversioned paths (`/tmp/chromium`) and adds the libraries on Lambda only.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';

/** The package that carries the browser, a pinned dev dependency of the workspace. */
export const BUNDLED_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/** The package ships one build: headless shell for Linux on x86-64. */
export const BUNDLED_CHROMIUM_PLATFORM = { platform: 'linux', arch: 'x64' } as const;

/** An unpacked bundled Chromium. */
export interface BundledChromium {
  /** The package's version, which is Chromium's major version (`143.0.4`: Chromium 143). */
  readonly version: string;
  readonly executablePath: string;
  /** The folder of the libraries it links against: goes first on its `LD_LIBRARY_PATH`. */
  readonly libraryPath: string;
}

/** Whether the package has a build for this machine (elsewhere, use a system Chromium). */
export const bundledChromiumRunsHere = (): boolean =>
  process.platform === BUNDLED_CHROMIUM_PLATFORM.platform &&
  process.arch === BUNDLED_CHROMIUM_PLATFORM.arch;

/**
 * The package's folder, found from its entry point: its `exports` name nothing else (not
 * even `package.json`), and the entry point's depth changes between versions.
 */
function findPackageRoot(entryPoint: string): string {
  for (let dir = path.dirname(entryPoint); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ===
        BUNDLED_CHROMIUM_PACKAGE
    ) {
      return dir;
    }
  }
  throw new Error(`${BUNDLED_CHROMIUM_PACKAGE} has no package.json above ${entryPoint}`);
}

/**
 * Unpacks the package's Chromium and libraries into `<tmp>/tap-chromium-<version>`, once:
 * later calls, in this process or another, find it there. Each unpacking happens in a
 * folder of its own, renamed into place when complete, so concurrent test runs never see
 * (or start) a half-written browser.
 *
 * @returns the unpacked browser, or `undefined` on a machine the package has no build for.
 * @throws Error when the package is not installed (run `npm ci`).
 */
export async function unpackBundledChromium(): Promise<BundledChromium | undefined> {
  if (!bundledChromiumRunsHere()) return undefined;
  const packageRoot = findPackageRoot(require.resolve(BUNDLED_CHROMIUM_PACKAGE));
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const bin = path.join(packageRoot, 'bin');
  const home = path.join(tmpdir(), `tap-chromium-${version}`);
  const unpacked: BundledChromium = {
    version,
    executablePath: path.join(home, 'chromium'),
    libraryPath: path.join(home, 'lib'),
  };
  if (existsSync(home)) return unpacked;

  const work = `${home}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(work, { recursive: true });
    // 200 MB unpacked: streamed, not held in memory.
    await pipeline(
      createReadStream(path.join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(path.join(work, 'chromium')),
    );
    await chmod(path.join(work, 'chromium'), 0o755);
    // The libraries: a tar archive, unpacked by tar-fs (which @sparticuz/chromium itself
    // uses), which keeps every entry, links included, inside the folder.
    await pipeline(
      createReadStream(path.join(bin, 'al2023.tar.br')),
      createBrotliDecompress(),
      extract(work),
    );
    await rename(work, home);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    // Another run finished first: its copy is as good as ours.
    if (existsSync(home)) return unpacked;
    throw error;
  }
  return unpacked;
}
