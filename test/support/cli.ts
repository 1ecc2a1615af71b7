import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './golden.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`bin/otel-instrument.js`, as `npx otel-instrument` would) in `cwd`. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/otel-instrument.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh directory under the repo's `.tmp/` (so the repo's node_modules resolve from it). */
export function tempDir(prefix: string): string {
  const base = path.join(repoRoot, '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${prefix}-`));
}

/** Copies an example app into a temp dir, ready to be instrumented by the CLI. */
export function copyApp(source: string, prefix = 'app'): string {
  const dir = tempDir(prefix);
  cpSync(source, dir, { recursive: true });
  return dir;
}
