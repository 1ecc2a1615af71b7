// The generated code compiles as users would compile it: Go with `go vet` in a module requiring
// go.opentelemetry.io/otel (and gofmt-clean), TypeScript under the strictest tsc options.
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FIXTURES, generateInto, go, gofmtList, goModuleWith, MODELS } from './support.js';

const STRICT: ts.CompilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  types: [],
  noEmit: true,
};

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, STRICT);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

const VARIANTS = [
  { name: 'v1.44.0 default (stable)', spec: [MODELS['1.44.0']], stability: 'stable', includeDeprecated: false },
  { name: 'v1.44.0 everything', spec: [MODELS['1.44.0']], stability: 'all', includeDeprecated: true },
  { name: 'v1.43.0 everything', spec: [MODELS['1.43.0']], stability: 'all', includeDeprecated: true },
  { name: 'v1.44.0 + custom registry', spec: [MODELS['1.44.0'], path.join(FIXTURES, 'acme')], stability: 'all', includeDeprecated: true },
] as const;

describe('generated Go', () => {
  it('compiles and passes go vet in a module requiring go.opentelemetry.io/otel, and is gofmt-clean', async () => {
    const packages: Record<string, string> = {};
    for (const [index, variant] of VARIANTS.entries()) {
      const { out } = await generateInto({ ...variant, lang: 'go', package: 'semconv' }, 'conventions-go-vet');
      packages[`semconv${index}`] = out;
    }
    const module = goModuleWith(packages);
    const { code, output } = await go(['vet', './...'], module);
    expect(output).toBe('');
    expect(code).toBe(0);
    expect(await gofmtList(module)).toBe('');
  }, 300_000);
});

describe('generated TypeScript', () => {
  it.each(VARIANTS)('$name type-checks under strict options', async (variant) => {
    const { out, files } = await generateInto({ ...variant, lang: 'ts' }, 'conventions-ts-tsc');
    expect(typeErrors(files.map((f) => path.join(out, f.path)))).toEqual([]);
  }, 120_000);
});
