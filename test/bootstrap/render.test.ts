// The bootstrap as text: every flavor renders cleanly, the TypeScript one type-checks under strict
// settings users really have, and the dependency list matches what the file imports.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { bootstrapDependencies, renderBootstrap, renderGoIdGenerator, type BootstrapOptions } from '../../src/codemod/bootstrap.js';
import { readTemplate, type Flavor } from '../../src/render-template.js';
import { FLAVORS, repoRoot, tempDir, writeBootstrap } from './support.js';

const ID_GENERATORS = ['random', 'time-ordered'] as const satisfies BootstrapOptions['idGenerator'][];

/** Compiler settings stricter than `strict` alone; user projects turn these on too. */
const STRICTEST: ts.CompilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
};

function typeErrors(files: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(repoRoot, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

describe.each(Object.entries(FLAVORS))('%s flavor', (_name, flavor: Flavor) => {
  it.each(ID_GENERATORS)('renders with %s ids', (idGenerator) => {
    const source = renderBootstrap(flavor, { idGenerator });
    expect(source).not.toMatch(/#(end)?region/);
    expect(source.includes('TimeOrderedIdGenerator')).toBe(idGenerator === 'time-ordered');
    expect(source.includes('randomFillSync')).toBe(idGenerator === 'time-ordered');
    expect(source).toContain('GoCompatibleTraceIdRatioSampler');
    expect(source.includes('import.meta')).toBe(flavor.moduleSystem === 'esm');
    if (flavor.language === 'js') expect(source).not.toMatch(/:\s*(string|number|bigint|Env|Sampler)\b[^'"]/);
    if (flavor.language === 'js' && flavor.moduleSystem === 'cjs') expect(source).not.toMatch(/^import /m);
  });
});

it('tells the user how to load the file in their flavor', () => {
  expect(renderBootstrap(FLAVORS.esm)).toContain('node --import ./otel-bootstrap.mjs app.mjs');
  expect(renderBootstrap(FLAVORS.cjs)).toContain('node --require ./otel-bootstrap.cjs app.js');
  expect(renderBootstrap(FLAVORS.ts)).toContain('node --import tsx --import ./otel-bootstrap.ts');
  expect(renderBootstrap(FLAVORS.tsCjs)).toContain('node --require ./otel-bootstrap.js');
});

it('type-checks as TypeScript (ESM and CommonJS projects) under strict and stricter settings', () => {
  const root = tempDir('bootstrap-typecheck');
  const esmFiles: string[] = [];
  const cjsFiles: string[] = [];
  for (const [type, flavor, files] of [['module', FLAVORS.ts, esmFiles], ['commonjs', FLAVORS.tsCjs, cjsFiles]] as const) {
    for (const idGenerator of ID_GENERATORS) {
      const dir = path.join(root, type, idGenerator);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `typecheck-${type}`, type }));
      files.push(writeBootstrap(dir, flavor, { idGenerator }));
    }
  }
  // verbatimModuleSyntax (type-only imports spelled out) only makes sense for ESM files.
  expect(typeErrors(esmFiles, { ...STRICTEST, verbatimModuleSyntax: true, isolatedModules: true })).toEqual([]);
  expect(typeErrors(cjsFiles, STRICTEST)).toEqual([]);
}, 30_000);

it('renders JavaScript that Node parses', async () => {
  const dir = tempDir('bootstrap-syntax');
  const files = ID_GENERATORS.flatMap((idGenerator) => {
    const sub = path.join(dir, idGenerator);
    mkdirSync(sub);
    return [writeBootstrap(sub, FLAVORS.esm, { idGenerator }), writeBootstrap(sub, FLAVORS.cjs, { idGenerator })];
  });
  await Promise.all(files.map((file) => promisify(execFile)(process.execPath, ['--check', file])));
});

it('lists exactly the packages the file imports, at the versions this repo tests', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const dependencies = bootstrapDependencies();
  expect(Object.keys(dependencies)).toEqual([
    '@opentelemetry/api',
    '@opentelemetry/baggage-span-processor',
    '@opentelemetry/core',
    '@opentelemetry/exporter-metrics-otlp-http',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/resources',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/sdk-trace-node',
    '@opentelemetry/semantic-conventions',
  ]);
  for (const [name, range] of Object.entries(dependencies)) expect(range).toBe(manifest.devDependencies[name]);

  // Every package the rendered file loads is listed (and resolvable from a project under .tmp/);
  // @opentelemetry/api is the SDK's peer dependency, and the package the helpers import.
  const cjs = renderBootstrap(FLAVORS.cjs, { idGenerator: 'time-ordered' });
  const required = [...cjs.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((s) => !s.startsWith('node:'));
  expect(new Set(required)).toEqual(new Set(Object.keys(dependencies)));
  const resolveFrom = createRequire(path.join(tempDir('bootstrap-deps'), 'index.js'));
  for (const name of required) expect(() => resolveFrom.resolve(name)).not.toThrow();
});

it('renders the Go id generator into the caller’s package', () => {
  const template = readTemplate('go/sampling/time_ordered_ids.go');
  const rendered = renderGoIdGenerator('otelsetup');
  expect(rendered).toContain('\npackage otelsetup\n');
  expect(rendered.replace('package otelsetup', 'package telemetry')).toBe(template);
  expect(() => renderGoIdGenerator('my-pkg')).toThrow(/not a Go package name/);
});
