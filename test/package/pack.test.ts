// The npm package as a user gets it: `npm pack`, installed into an empty folder outside the
// repository with no network (dependencies from the npm cache), then the three commands run from
// there with `npx`. One pack and one install serve every check.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/golden.js';
import { installOffline, npmEnv } from './offline-install.js';

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string }>;
}

let work: string;
let packed: PackResult;

/**
 * `npx <args>` in `cwd` (the installed folder or below it), as the README writes it, with npm kept
 * off the network. (No npx flags before the command: `npx --no otel-instrument --dry-run` would
 * take `--dry-run` as its own.)
 */
function npx(args: string[], cwd: string) {
  const run = spawnSync('npx', args, {
    cwd,
    encoding: 'utf8',
    env: npmEnv({ FORCE_COLOR: '0', npm_config_offline: 'true' }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  // Outside the repository: nothing of its node_modules or sources can be found from there.
  work = mkdtempSync(path.join(os.tmpdir(), 'otel-instrument-pack-'));
  // dist/ is fresh (test/global-setup.ts builds it), so prepare need not build it again.
  const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  packed = (JSON.parse(output) as PackResult[])[0]!;
  installOffline(work, path.join(work, packed.filename));
  cpSync(path.join(repoRoot, 'examples/shop'), path.join(work, 'shop'), { recursive: true });
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the CLI, its templates and the embedded model, and no tests, benches or fixtures', () => {
    const files = packed.files.map((f) => f.path);
    const top = [...new Set(files.map((f) => (f.includes('/') ? `${f.split('/')[0]}/` : f)))].sort();
    expect(top).toEqual(['README.md', 'bin/', 'dist/', 'package.json', 'semconv/', 'templates/']);
    // (semconv/v1.44.0/test/ is the model's own `test.*` namespace, not a test of ours.)
    const ours = files.filter((f) => !f.startsWith('semconv/'));
    expect(ours.filter((f) => /(^|\/)(test|tests|bench|fixtures|examples|__tests__)\/|\.test\.[cm]?[jt]s$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('semconv/') && !/^semconv\/v1\.44\.0\/(.+\.yaml|LICENSE|README\.md)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/')).every((f) => /^dist\/(src|transforms)\//.test(f))).toBe(true);
    for (const file of ['bin/otel-instrument.js', 'dist/src/cli.js', 'dist/src/conventions/cli.js', 'semconv/v1.44.0/LICENSE', 'semconv/v1.44.0/README.md', 'semconv/v1.44.0/manifest.yaml']) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => f.startsWith('templates/go/'))).toBe(true);
    expect(files.some((f) => f.startsWith('templates/runtime/'))).toBe(true);
    expect(files.some((f) => f.startsWith('templates/conventions/'))).toBe(true);
  });

  it('the README states its size (within a quarter)', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const stated = /npm\s+package\s+is\s+(\d+)\s+kB\s+packed\s+\((\d+(?:\.\d+)?)\s+MB\s+unpacked,\s+(\d+)\s+files\)/.exec(readme);
    expect(stated, 'README: "npm package is N kB packed (M MB unpacked, K files)"').not.toBeNull();
    expect(Number(stated![1]) * 1000).toBeGreaterThan(packed.size * 0.75);
    expect(Number(stated![1]) * 1000).toBeLessThan(packed.size * 1.25);
    expect(Number(stated![2]) * 1e6).toBeGreaterThan(packed.unpackedSize * 0.75);
    expect(Number(stated![2]) * 1e6).toBeLessThan(packed.unpackedSize * 1.25);
    expect(Number(stated![3])).toBeGreaterThan(packed.entryCount * 0.75);
    expect(Number(stated![3])).toBeLessThan(packed.entryCount * 1.25);
  });

  it('installed with no network, only the runtime dependencies come along', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies)) expect(existsSync(path.join(work, 'node_modules', dep, 'package.json')), dep).toBe(true);
    expect(existsSync(path.join(work, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(path.join(work, 'node_modules/otel-instrument/semconv/v1.44.0/manifest.yaml'))).toBe(true);
  });

  it('its runtime dependencies are exactly the packages the shipped code imports', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set<string>();
    for (const file of packed.files.map((f) => f.path).filter((f) => /^(bin|dist)\/.*\.[cm]?js$/.test(f))) {
      const code = readFileSync(path.join(work, 'node_modules/otel-instrument', file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      const specifiers = code.matchAll(/(?:^(?:import|export)\b[^;'"]*?from\s*|\bimport\(\s*|\brequire\(\s*|\)\(\s*)['"]([^'"]+)['"]/gm);
      for (const [, specifier] of specifiers) {
        if (/^(\.|node:|#)/.test(specifier!)) continue;
        imported.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
      }
    }
    expect([...imported].sort()).toEqual(Object.keys(manifest.dependencies).sort());
  });

  it('npx otel-instrument --dry-run prints the rewrite of the example app and writes nothing', () => {
    const before = readFileSync(path.join(work, 'shop/src/server.ts'), 'utf8');
    const run = npx(['otel-instrument', '--dry-run', 'shop'], work);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('+++ b/shop/src/server.ts');
    expect(run.stdout).toMatch(/^\+.*instrumentExpress\(/m);
    expect(readFileSync(path.join(work, 'shop/src/server.ts'), 'utf8')).toBe(before);
    expect(existsSync(path.join(work, 'shop/src/otel-instrument'))).toBe(false);
  });

  it('npx otel-instrument conventions generates from the embedded model with no --spec', () => {
    const project = path.join(work, 'project');
    mkdirSync(project);
    const run = npx(['otel-instrument', 'conventions', '--lang', 'ts', '--out', 'src/semconv'], project);
    expect(run.status, run.stderr).toBe(0);
    const index = readFileSync(path.join(project, 'src/semconv/index.ts'), 'utf8');
    expect(index).toContain("export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;");
    expect(index).toContain('https://opentelemetry.io/schemas/1.44.0');
  });

  it('npx otel-instrument go writes the Go module of the example app (attribute keys from the embedded model)', () => {
    const run = npx(['otel-instrument', 'go', 'shop', '--out', 'shop-go', '--module', 'example.com/shop', '--semconv-spec'], work);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wrote shop-go\/main\.go$/m);
    expect(readFileSync(path.join(work, 'shop-go/tracing.go'), 'utf8')).toContain('"example.com/shop/internal/semconv"');
    expect(readFileSync(path.join(work, 'shop-go/internal/semconv/schema.go'), 'utf8')).toContain('https://opentelemetry.io/schemas/1.44.0');
  });
});
