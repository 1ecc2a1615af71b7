import { existsSync } from 'node:fs';
import path from 'node:path';
import { HELPER_DIR_NAME } from './helper-modules.js';
import { dirsUpTo, isWithin } from './project-top.js';
import type { ProjectConfig } from './tsconfig.js';
import type { Language } from './types.js';

/** A file that imports generated helpers (instrumented in this run or already before it). */
export interface HelperUser {
  file: string;
  language: Language;
  /** Directory of the package owning it (its nearest package.json, else the project top). */
  packageDir: string;
  /** The tsconfig.json whose program includes it (TypeScript only). */
  config?: ProjectConfig;
  /** `…/otel-instrument` folders its existing helper imports point to. */
  existingDirs: readonly string[];
}

/** Files that share one helper folder: one package, and for TypeScript one tsconfig program. */
function groupKey(user: HelperUser): string {
  return user.language === 'ts' ? `${user.packageDir}\0ts\0${user.config?.path ?? ''}` : `${user.packageDir}\0js`;
}

function commonDir(dirs: readonly string[]): string {
  let common = dirs[0]!;
  for (const dir of dirs) while (!isWithin(dir, common)) common = path.dirname(common);
  return common;
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/**
 * `base`, unless the tsconfig's `include` does not match a helper there (`"include": ["src/app",
 * "src/lib"]` and a common folder `src`): then the highest folder between `base` and an importing
 * file that it does match. (tsc would compile an imported helper anyway; an `include` that covers
 * it also keeps editors and linters that go by `include` happy.)
 */
function coveredBase(base: string, group: readonly HelperUser[]): string {
  const config = group[0]!.config;
  const covered = (dir: string) => !config || config.covers(path.join(dir, HELPER_DIR_NAME, 'common.ts'));
  if (covered(base)) return base;
  for (const user of group) {
    const chain = [...dirsUpTo(path.dirname(user.file), base)].reverse();
    const found = chain.find(covered);
    if (found) return found;
  }
  return base;
}

/**
 * The helper folder for each file: where helpers of its group already are (the imports of
 * files instrumented before say so), else `otel-instrument/` in the common directory of the
 * group's files, which lies inside their source tree: inside the tsconfig's `rootDir` (set or
 * computed) and its `include`, so tsc neither fails (TS6059) nor moves the emitted layout.
 * A helper folder that already exists there or above it, within the package, is reused. The
 * place depends on the files, not on the paths given, so `.` and `./src` agree.
 */
export function placeHelpers(users: readonly HelperUser[]): Map<string, string> {
  const groups = new Map<string, HelperUser[]>();
  for (const user of users) {
    const key = groupKey(user);
    groups.set(key, [...(groups.get(key) ?? []), user]);
  }
  const placed = new Map<string, string>();
  for (const group of groups.values()) {
    let dir = mostCommon(group.flatMap((u) => u.existingDirs));
    if (!dir) {
      let base = commonDir(group.map((u) => path.dirname(u.file)));
      const config = group[0]!.config;
      if (config?.rootDirSet && !isWithin(base, config.rootDir)) base = config.rootDir;
      if (!isWithin(base, group[0]!.packageDir)) base = group[0]!.packageDir;
      // Never a folder inside a helper folder.
      while (path.basename(base) === HELPER_DIR_NAME) base = path.dirname(base);
      // A helper folder already above (a run on fewer files, --changed-since) is reused, not duplicated.
      const above = [...dirsUpTo(base, group[0]!.packageDir)].find((d) => ['common.ts', 'common.cjs', 'common.mjs'].some((f) => existsSync(path.join(d, HELPER_DIR_NAME, f))));
      dir = path.join(above ?? coveredBase(base, group), HELPER_DIR_NAME);
    }
    for (const user of group) placed.set(user.file, dir);
  }
  return placed;
}
