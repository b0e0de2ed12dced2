import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `text` to `file` through a temporary file and a rename, so a reader sees the old
 * content or the new, never half of it. `mode` applies to a new file (0600 for secrets).
 */
export async function replaceFile(file: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { encoding: 'utf8', mode });
  await rename(temporary, file);
}
