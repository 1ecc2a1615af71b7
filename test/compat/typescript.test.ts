// Generated TypeScript must compile with the TypeScript a project pins, from 4.1 on: the runtime
// helpers (both module flavours) and every TypeScript golden output, type-checked with each
// compiler in test/compat/toolchains and the root's own. One program per compiler and typings set
// (two before TypeScript 4.7, which has no node16 resolution to tell CommonJS from ESM by file).
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHelper } from '../../src/codemod/helper-modules.js';
import { checkProgram, type Compiler, type Typings } from './check-program.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const toolchains = path.join(repoRoot, 'test/compat/toolchains/node_modules');
const rootModules = path.join(repoRoot, 'node_modules');
if (!existsSync(toolchains)) throw new Error(`${toolchains} missing: run bash scripts/compat-toolchains.sh (npm run test:all does)`);
const load = (dir: string) => createRequire(path.join(dir, 'package.json'))(dir) as Compiler;

/**
 * The typings the checks run against. @opentelemetry/api 1.9.1 writes `export { type … }` (TS 4.5+)
 * and 1.10 ships `.d.cts` types (TS 4.7+), so TypeScript 4.1 gets 1.9.0; @types/node 20 uses
 * syntax TS 4.1 cannot parse, so 4.1 gets @types/node 14, the oldest the helpers support.
 */
const NODE_14_API_1_9_0: Typings = { name: '@types/node 14, @opentelemetry/api 1.9.0', node: path.join(toolchains, 'types-node-14'), api: path.join(toolchains, 'opentelemetry-api-1.9.0') };
const NODE_14: Typings = { name: '@types/node 14', node: path.join(toolchains, 'types-node-14'), api: path.join(rootModules, '@opentelemetry/api') };
const ROOT: Typings = { name: 'the root’s @types/node 20 and framework typings', node: path.join(rootModules, '@types/node'), api: path.join(rootModules, '@opentelemetry/api') };

interface CompilerCase {
  compiler: string;
  ts: Compiler;
  /** Typings to check helpers and goldens with; `helpersOnly` ones check the helpers alone. */
  typings: { typings: Typings; helpersOnly: boolean; strictest?: boolean }[];
}

const compilers: CompilerCase[] = [
  { compiler: 'TypeScript 4.1', ts: load(path.join(toolchains, 'typescript-4.1')), typings: [{ typings: NODE_14_API_1_9_0, helpersOnly: false }] },
  ...[
    ['TypeScript 4.9', path.join(toolchains, 'typescript-4.9')],
    ['TypeScript 5.9', path.join(toolchains, 'typescript-5')],
    ['TypeScript 6 (root)', path.join(rootModules, 'typescript')],
  ].map(([compiler, dir]) => ({
    compiler: compiler!,
    ts: load(dir!),
    // @types/node 14 with the oldest compiler (above) and the newest: the helpers need nothing newer.
    typings: compiler.startsWith('TypeScript 6')
      ? [{ typings: ROOT, helpersOnly: false }, { typings: NODE_14, helpersOnly: true }, { typings: ROOT, helpersOnly: true, strictest: true }]
      : [{ typings: ROOT, helpersOnly: false }],
  })),
];

const helperNames = readdirSync(path.join(repoRoot, 'templates/runtime'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));

/** Every golden case with a TypeScript output; `.ts` fixtures are CommonJS (no package.json beside them). */
const goldens = readdirSync(path.join(repoRoot, 'transforms'), { withFileTypes: true })
  .filter((t) => t.isDirectory())
  .flatMap((t) => {
    const fixtures = path.join(repoRoot, 'transforms', t.name, 'fixtures');
    let cases: string[] = [];
    try {
      cases = readdirSync(fixtures);
    } catch {
      return [];
    }
    return cases.flatMap((c) => {
      const files = readdirSync(path.join(fixtures, c));
      const output = files.find((f) => /^output\.(ts|cts|mts)$/.test(f));
      const input = files.find((f) => /^input\.(ts|cts|mts)$/.test(f));
      if (!output || !input) return [];
      const ext = path.extname(output);
      // A `.ts` golden is checked as ESM, as in this repository (some use top-level await).
      const moduleSystems: ('cjs' | 'esm')[] = ext === '.cts' ? ['cjs'] : ['esm'];
      return [{ name: `${t.name}--${c}`, dir: path.join(fixtures, c), input, output, ext, moduleSystems }];
    });
  });

const workDir = path.join(repoRoot, '.tmp', 'compat-typescript');
rmSync(workDir, { recursive: true, force: true });

/**
 * The files of one check, laid out as a project: `<flavour>/otel-instrument/*.ts` rendered
 * helpers beside each golden case's input and output (which import `./otel-instrument/…`), a
 * package.json giving the flavour, and node_modules/{@types/node,@opentelemetry/api} chosen by
 * the typings (everything else resolves to the root's node_modules).
 */
function layOut(dir: string, typings: Typings, helpersOnly: boolean, withCts: boolean) {
  mkdirSync(path.join(dir, 'node_modules/@types'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules/@opentelemetry'), { recursive: true });
  symlinkSync(typings.node, path.join(dir, 'node_modules/@types/node'));
  symlinkSync(typings.api, path.join(dir, 'node_modules/@opentelemetry/api'));
  const helpers: string[] = [];
  const cases: { name: string; golden: string; input: string; output: string }[] = [];
  for (const moduleSystem of ['cjs', 'esm'] as const) {
    const flavourDir = path.join(dir, moduleSystem);
    mkdirSync(path.join(flavourDir, 'otel-instrument'), { recursive: true });
    writeFileSync(path.join(flavourDir, 'package.json'), JSON.stringify({ type: moduleSystem === 'esm' ? 'module' : 'commonjs' }));
    for (const helper of helperNames) {
      const file = path.join(flavourDir, 'otel-instrument', `${helper}.ts`);
      writeFileSync(file, renderHelper(helper, { language: 'ts', moduleSystem }));
      helpers.push(file);
    }
    if (helpersOnly) continue;
    for (const golden of goldens.filter((g) => g.moduleSystems.includes(moduleSystem) && (withCts || g.ext === '.ts'))) {
      const input = path.join(flavourDir, `${golden.name}.input${golden.ext}`);
      const output = path.join(flavourDir, `${golden.name}.output${golden.ext}`);
      copyFileSync(path.join(golden.dir, golden.input), input);
      copyFileSync(path.join(golden.dir, golden.output), output);
      cases.push({ name: `${golden.name} (${moduleSystem})`, golden: golden.name, input, output });
    }
  }
  return { helpers, cases };
}

describe('generated TypeScript compiles with TypeScript 4.1, 4.9, 5.9 and 6', () => {
  for (const { compiler, ts, typings: sets } of compilers) {
    for (const { typings, helpersOnly, strictest } of sets) {
      it(`${compiler} with ${typings.name}: ${helpersOnly ? 'the helpers' : 'the helpers and the golden outputs'}${strictest ? ' under the strictest flags' : ''}`, () => {
        const [major, minor] = ts.version.split('.').map(Number) as [number, number];
        const hasNodeNext = major > 4 || (major === 4 && minor >= 7);
        const dir = path.join(workDir, `${compiler.replace(/\W+/g, '-')}-${helpersOnly ? 'helpers' : 'all'}${strictest ? '-strictest' : ''}`);
        // Before 4.7 there is no .cts/.mts (a project pinned to such a TypeScript has none) and
        // no node16 resolution: CommonJS and ESM are two programs, module commonjs / esnext.
        const { helpers, cases } = layOut(dir, typings, helpersOnly, hasNodeNext);
        const programs = hasNodeNext ? [{ module: 'nodenext', dirs: ['cjs', 'esm'] }] : [{ module: 'commonjs', dirs: ['cjs'] }, { module: 'esnext', dirs: ['esm'] }];
        const problems: string[] = [];
        const skipped: string[] = [];
        const checked = new Set<string>();
        for (const program of programs) {
          const inDirs = (file: string) => program.dirs.some((d) => file.startsWith(path.join(dir, d) + path.sep));
          const result = checkProgram(ts, {
            rootDir: dir,
            module: program.module as 'nodenext' | 'commonjs' | 'esnext',
            helpers: helpers.filter(inDirs),
            cases: cases.filter((c) => inDirs(c.input)),
            strictest,
          });
          problems.push(...result.problems);
          skipped.push(...result.skipped);
          for (const name of result.checked) checked.add(cases.find((c) => c.name === name)!.golden);
        }
        expect(problems).toEqual([]);
        if (!helpersOnly) {
          // Goldens whose own input does not compile with this compiler, flavour and typings (newer
          // syntax written by the user, top-level await in CommonJS, typings that need a newer
          // TypeScript) say nothing about the rewrite; TypeScript 5+ checks every golden.
          console.log(`${compiler}: ${checked.size} of ${goldens.length} golden outputs checked; not applicable:\n  ${skipped.join('\n  ') || '(none)'}`);
          expect(checked.size).toBeGreaterThan(0);
          if (major >= 5) expect(goldens.filter((g) => !checked.has(g.name)).map((g) => g.name)).toEqual([]);
        }
      }, 300_000);
    }
  }

  afterAll(() => {
    if (!process.env.KEEP_COMPAT_TMP) rmSync(workDir, { recursive: true, force: true });
  });
});
