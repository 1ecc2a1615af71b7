import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { helperClosure, helperSpecifier, renderHelper, HELPER_DIR_NAME } from '../../src/codemod/helper-modules.js';
import { instrumentSource } from '../../src/codemod/instrument-source.js';
import { languageOf } from '../../src/codemod/parse-source.js';
import type { Transform } from '../../src/codemod/types.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const UPDATE = process.env.UPDATE_GOLDENS === '1';

export interface GoldenCase {
  name: string;
  input: string;
  /** Absent: the input must come out unchanged. */
  output: string | undefined;
}

/** Each folder under `fixtures/` holds `input.<ext>` and, unless the input must not change, `output.<ext>`. */
export function readGoldenCases(fixturesDir: string): GoldenCase[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const dir = path.join(fixturesDir, e.name);
      const files = readdirSync(dir);
      const input = files.find((f) => f.startsWith('input.'));
      if (!input) throw new Error(`${dir}: no input.* file`);
      const output = files.find((f) => f.startsWith('output.'));
      return { name: e.name, input: path.join(dir, input), output: output ? path.join(dir, output) : undefined };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function run(file: string, text: string, transforms: readonly Transform[]) {
  return instrumentSource(file, Buffer.from(text, 'utf8'), {
    transforms,
    packageType: () => (existsSync(path.join(path.dirname(file), 'package.json')) ? 'module' : 'commonjs'),
    helperSpecifier: (helper, source) =>
      helperSpecifier(file, path.join(path.dirname(file), HELPER_DIR_NAME), helper, { language: source.language, moduleSystem: source.moduleSystem }),
  });
}

/**
 * The generic golden test: for every case, the transform's output equals `output.*` (rewrite
 * with UPDATE_GOLDENS=1 and review the diff), a second run changes nothing, and every
 * TypeScript output type-checks under `strict` together with the helper modules it imports.
 */
export function runGoldenCases(fixturesDir: string, transforms: readonly Transform[]): void {
  const cases = readGoldenCases(fixturesDir);
  const typecheckDir = path.join(repoRoot, '.tmp', 'golden', path.relative(repoRoot, fixturesDir).replace(/[\\/]/g, '_'));
  const toTypecheck: { name: string; file: string }[] = [];
  rmSync(typecheckDir, { recursive: true, force: true });

  describe(`golden cases in ${path.relative(repoRoot, fixturesDir)}`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const input = readFileSync(c.input, 'utf8');
        const first = run(c.input, input, transforms);
        expect(first.error?.message).toBeUndefined();
        const actual = first.status === 'changed' ? first.after! : input;
        const outputPath = c.output ?? c.input.replace(/input(\.\w+)$/, 'output$1');
        if (UPDATE && actual !== input) writeFileSync(outputPath, actual);
        if (UPDATE && actual === input && c.output) rmSync(c.output);
        if (!UPDATE) {
          if (c.output) expect(actual).toBe(readFileSync(c.output, 'utf8'));
          else expect(first.status, 'no output.* file: the input must stay unchanged').not.toBe('changed');
        }
        // Idempotence: the output is a fixed point.
        const second = run(c.input, actual, transforms);
        expect(second.status).not.toBe('changed');
        // The re-run still sees the call sites it instrumented (the report lists them).
        if (first.status === 'changed') {
          expect(second.status).toBe('unchanged');
          expect(second.sites.length).toBeGreaterThan(0);
          expect(second.sites.every((s) => s.instrumented || s.ignored)).toBe(true);
        }
        expect(second.error).toBeUndefined();

        if (languageOf(c.input) === 'ts') {
          const caseDir = path.join(typecheckDir, c.name);
          mkdirSync(path.join(caseDir, HELPER_DIR_NAME), { recursive: true });
          const file = path.join(caseDir, path.basename(c.input).replace(/^input/, 'index'));
          writeFileSync(file, actual);
          // All helpers the transforms may import, so already-instrumented inputs type-check too.
          for (const helper of helperClosure(transforms.flatMap((t) => t.helpers))) {
            writeFileSync(path.join(caseDir, HELPER_DIR_NAME, `${helper}.ts`), renderHelper(helper, { language: 'ts', moduleSystem: 'esm' }));
          }
          toTypecheck.push({ name: c.name, file });
        }
      });
    }

    it('every TypeScript output type-checks under strict', () => {
      if (toTypecheck.length === 0) return;
      const program = ts.createProgram(
        toTypecheck.map((t) => t.file),
        {
          strict: true,
          noEmit: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          esModuleInterop: true,
          // As NestJS projects compile (their decorators are the legacy kind).
          experimentalDecorators: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
        },
      );
      const problems = ts
        .getPreEmitDiagnostics(program)
        .map((d) => {
          const where = d.file ? `${path.relative(typecheckDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
          return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      expect(problems).toEqual([]);
    });
  });

  afterAll(() => {
    if (!process.env.KEEP_GOLDEN_TMP) rmSync(typecheckDir, { recursive: true, force: true });
  });
}
