import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Root of the installed package (holds `templates/`), from src/ or dist/src/. A module of its own
 * so that code needing only this path does not load the TypeScript compiler.
 */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(dir: string): string {
  let current = dir;
  for (;;) {
    try {
      readFileSync(path.join(current, 'package.json'));
      return current;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) throw new Error(`otel-instrument: package.json not found above ${dir}`);
      current = parent;
    }
  }
}
