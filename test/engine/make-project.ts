import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/cli.js';

/** A project in a fresh temp dir (under the repo, so its node_modules resolve): path → content. */
export function makeProject(prefix: string, files: Record<string, string>): string {
  const dir = tempDir(prefix);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
