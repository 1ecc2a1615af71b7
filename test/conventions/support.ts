import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generateConventions, type ConventionsOptions, type ConventionsResult } from '../../src/conventions/generate.js';
import { tempDir } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { SEMCONV_MODELS } from '../support/semconv-model.js';

const run = promisify(execFile);

/** The spec's YAML model by semconv version (in the repo, see test/support/semconv-model.ts). */
export const MODELS = SEMCONV_MODELS;
export type ModelVersion = keyof typeof MODELS;

export const FIXTURES = path.join(repoRoot, 'test', 'conventions', 'fixtures');

/** The Go module generated packages are compiled in (it requires go.opentelemetry.io/otel). */
export const GO_MODULE = path.join(repoRoot, 'test', 'conventions', 'go');

/** Generates into a fresh directory under `.tmp/`; returns the result and the directory. */
export async function generateInto(options: Omit<ConventionsOptions, 'out'>, prefix = 'conventions'): Promise<ConventionsResult & { out: string }> {
  const out = tempDir(prefix);
  const result = await generateConventions({ ...options, out });
  return { ...result, out };
}

/** A value to compare: template attributes (functions of the key suffix) by what they return. */
function comparable(value: unknown): unknown {
  return typeof value === 'function' ? `template:${String((value as (key: string) => unknown)('KEY'))}` : value;
}

/** The `ATTR_*`, `*_VALUE_*` and `METRIC_*` exports of a module, name → value. */
export function semconvConstants(module: Record<string, unknown>): Map<string, unknown> {
  return new Map(
    Object.entries(module)
      .filter(([name]) => /^ATTR_|_VALUE_|^METRIC_/.test(name))
      .map(([name, value]) => [name, comparable(value)]),
  );
}

/** Imports a generated TypeScript file (vitest transpiles it). */
export async function importGenerated(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** What two name → value maps disagree on, in both directions. */
export function differences(generated: Map<string, unknown>, oracle: Map<string, unknown>) {
  const missing = [...oracle.keys()].filter((name) => !generated.has(name));
  const extra = [...generated.keys()].filter((name) => !oracle.has(name));
  const different = [...oracle.keys()]
    .filter((name) => generated.has(name) && generated.get(name) !== oracle.get(name))
    .map((name) => `${name}: generated ${String(generated.get(name))}, oracle ${String(oracle.get(name))}`);
  return { missing, extra, different };
}

/** Declarations of a Go semconv package: keys, enum values (as `Key.Method(literal)`), functions. */
export interface GoDeclarations {
  keys: Map<string, string>;
  enumValues: Map<string, string>;
  funcs: Map<string, string>;
}

/**
 * Reads the declarations the semconv generators write, one per line:
 * `FooKey = attribute.Key("foo")`, `FooBar = FooKey.String("bar")`, `func Foo(val string) …`.
 */
export function goDeclarations(source: string): GoDeclarations {
  const keys = new Map<string, string>();
  const enumValues = new Map<string, string>();
  const funcs = new Map<string, string>();
  for (const m of source.matchAll(/^\s*(\w+)\s*=\s*attribute\.Key\(("(?:[^"\\]|\\.)*")\)/gm)) keys.set(m[1]!, JSON.parse(m[2]!) as string);
  for (const m of source.matchAll(/^\s*(\w+)\s*=\s*(\w+Key)\.(String|Int|Float64)\(([^)]*)\)/gm)) enumValues.set(m[1]!, `${m[2]}.${m[3]}(${m[4]})`);
  for (const m of source.matchAll(/^func (\w+)\(([^)]*)\)/gm)) funcs.set(m[1]!, m[2]!.replace(/\s+/g, ' '));
  return { keys, enumValues, funcs };
}

export async function go(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('go', args, { cwd, env: { ...process.env, GOFLAGS: '-mod=mod' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('conventions: `go` is not on PATH; the Go checks need Go 1.26+', { cause: error });
    return { code: Number(failure.code ?? 1), output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/** The directory of a module version in the module cache (`go mod download -json`). */
export async function goModuleSource(module: string): Promise<{ dir: string; version: string }> {
  const { code, output } = await go(['mod', 'download', '-json', module], GO_MODULE);
  if (code !== 0) throw new Error(`go mod download ${module} failed:\n${output}`);
  const info = JSON.parse(output.slice(output.indexOf('{'))) as { Dir: string; Version: string };
  return { dir: info.Dir, version: info.Version };
}

/** The version of `module` that the test Go module requires. */
export function requiredGoVersion(module: string): string {
  const goMod = readFileSync(path.join(GO_MODULE, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/\./g, '\\.')}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match) throw new Error(`${module} is not required by ${GO_MODULE}/go.mod`);
  return match[1]!;
}

/**
 * A copy of the test Go module with generated packages in it (`packages`: directory name →
 * generated output directory), ready for `go vet ./...`.
 */
export function goModuleWith(packages: Record<string, string>): string {
  const dir = tempDir('conventions-go');
  for (const file of ['go.mod', 'go.sum', 'keep.go']) cpSync(path.join(GO_MODULE, file), path.join(dir, file));
  for (const [name, source] of Object.entries(packages)) {
    mkdirSync(path.join(dir, name), { recursive: true });
    cpSync(source, path.join(dir, name), { recursive: true });
  }
  return dir;
}

export async function gofmtList(dir: string): Promise<string> {
  const { output: goroot } = await go(['env', 'GOROOT'], GO_MODULE);
  const { stdout } = await run(path.join(goroot.trim(), 'bin', 'gofmt'), ['-l', dir]);
  return stdout;
}

export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
