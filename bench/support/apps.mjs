// The bench apps (bench/runtime/apps/*) copied into bench/.work and, for the instrumented
// variants, rewritten there by a CLI: shared by the runtime benches.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { root } from './build.mjs';

/**
 * The headers every benchmarked request carries: an incoming sampled trace, as traffic inside a
 * traced system does, the credentials and origin the stacks check, and three headers a team may
 * capture (CAPTURE_ENV lists them).
 */
export const REQUEST_HEADERS = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  authorization: 'Bearer bench-token',
  origin: 'https://app.example.com',
  'x-tenant-id': 'acme',
  'x-request-id': '5f0c6a1e-8d5b-4c1e-9a51-2f3e4d5c6b7a',
  'x-forwarded-for': '203.0.113.7',
};
/** The environment of the variants that capture REQUEST_HEADERS' three x- headers. */
export const CAPTURE_ENV = { OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: 'x-tenant-id,x-request-id,x-forwarded-for' };

/** Copies the app `app` into `dir` and, with a CLI, rewrites it there; true when `wrapper(` was applied. */
export function copyApp(app, dir, { cli, wrapper } = {}) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(root, 'bench/runtime/apps', app), dir, { recursive: true });
  if (!cli) return false;
  const run = spawnSync(process.execPath, [cli, '.'], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${cli} failed on ${app} (${run.status}):\n${run.stderr}`);
  const wrapped = readFileSync(path.join(dir, 'server.js'), 'utf8').includes(`${wrapper}(`);
  if (!wrapped) console.error(`warning: ${cli} did not wrap the ${app} app (is its transform registered?)`);
  return wrapped;
}

/** The CLI of an earlier commit, extracted and built in `work` (node_modules shared); undefined when none is asked for. */
export function buildEarlierCli(commit, work) {
  if (commit === 'none') return undefined;
  const dir = path.join(work, `cli-${commit}`);
  if (!existsSync(path.join(dir, 'dist/src/cli.js'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('git', ['archive', commit], { cwd: root, maxBuffer: 1 << 28 });
    if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`);
    spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`building ${commit} failed:\n${tsc.stdout}`);
  }
  return path.join(dir, 'bin/otel-instrument.js');
}
