import type { FunctionName } from '@tap/contracts';
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Options of {@link BundleWatcher}. */
export interface BundleWatcherOptions {
  /** The bundle file of each function. */
  readonly bundles: Readonly<Partial<Record<FunctionName, string>>>;
  readonly workspaceRoot: string;
  /** Called with the functions whose bundle changed (or appeared, or vanished). */
  readonly onChange: (changed: FunctionName[]) => void;
  /** Quiet period before reacting: a build writes several files in a burst. */
  readonly debounceMs?: number;
}

/** Identifies one version of a file; 'missing' when there is none. */
function fileSignature(file: string): string {
  try {
    const stats = statSync(file);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Folders to watch for one bundle: its folder and every existing ancestor below the
 * workspace root. A build deletes and recreates the project's whole dist folder, which
 * kills a watcher on the bundle folder itself; the ancestors see it come back.
 */
function foldersToWatch(bundleFile: string, workspaceRoot: string): string[] {
  const bundleDir = path.dirname(bundleFile);
  const relative = path.relative(workspaceRoot, bundleDir);
  const insideWorkspace =
    relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const stopAt = insideWorkspace ? workspaceRoot : path.dirname(bundleDir);
  const folders: string[] = [];
  for (let folder = bundleDir; folder !== stopAt; folder = path.dirname(folder)) {
    if (existsSync(folder)) folders.push(folder);
    if (path.dirname(folder) === folder) break;
  }
  return folders.length > 0 ? folders : [stopAt];
}

/**
 * Watches the functions' bundles so a rebuild (`nx watch … build`) replaces warm
 * environments without restarting the local cloud. Watchers never keep the process alive.
 */
export class BundleWatcher {
  private watchers: FSWatcher[] = [];
  private readonly signatures = new Map<FunctionName, string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: BundleWatcherOptions) {}

  start(): void {
    for (const [name, file] of this.entries()) this.signatures.set(name, fileSignature(file));
    this.arm();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.disarm();
  }

  private entries(): [FunctionName, string][] {
    return Object.entries(this.options.bundles) as [FunctionName, string][];
  }

  /** (Re)creates the watchers for the folders that exist now. */
  private arm(): void {
    this.disarm();
    const folders = new Set(
      this.entries().flatMap(([, file]) => foldersToWatch(file, this.options.workspaceRoot)),
    );
    for (const folder of folders) {
      try {
        const watcher = watch(folder, { persistent: false }, () => this.schedule());
        watcher.on('error', () => this.schedule());
        this.watchers.push(watcher);
      } catch {
        // The folder vanished between the check and the watch; its parent will tell us.
      }
    }
  }

  private disarm(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), this.options.debounceMs ?? 150);
    this.timer.unref();
  }

  private check(): void {
    if (this.closed) return;
    this.arm();
    const changed: FunctionName[] = [];
    for (const [name, file] of this.entries()) {
      const signature = fileSignature(file);
      if (signature !== this.signatures.get(name)) {
        this.signatures.set(name, signature);
        changed.push(name);
      }
    }
    if (changed.length > 0) this.options.onChange(changed);
  }
}
