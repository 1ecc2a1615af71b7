import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '#typescript';
import { packageRoot } from './package-root.js';

/** How a generated file must look to fit the user's project. */
export interface Flavor {
  language: 'ts' | 'js';
  moduleSystem: 'esm' | 'cjs';
  /**
   * TypeScript only: how relative imports between generated files end, as the project resolves
   * them (`.js` by default; `''` for CommonJS/bundler resolution, which ts-node needs; `.ts`).
   */
  importEnding?: '.js' | '.ts' | '';
}

/** File extension of a generated module in a flavor (`.ts`, `.mjs`, `.cjs`). */
export function flavorExtension(flavor: Flavor): string {
  if (flavor.language === 'ts') return '.ts';
  return flavor.moduleSystem === 'esm' ? '.mjs' : '.cjs';
}

export function readTemplate(relativePath: string): string {
  return readFileSync(path.join(packageRoot, 'templates', relativePath), 'utf8');
}

/**
 * Turns a TypeScript template into the flavor the user's project needs. Templates are written
 * once, in TypeScript with ESM imports whose relative specifiers end in `.js`; JavaScript
 * flavors are the same code with types erased, so the two cannot drift apart.
 */
export function renderTemplate(source: string, flavor: Flavor): string {
  if (flavor.language === 'ts') {
    const ending = flavor.importEnding ?? '.js';
    return ending === '.js' ? source : source.replace(/(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g, `$1$2$3${ending}$2`);
  }
  const ext = flavorExtension(flavor);
  const withSpecifiers = source.replace(/(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g, `$1$2$3${ext}$2`);
  const { outputText } = ts.transpileModule(withSpecifiers, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: flavor.moduleSystem === 'esm' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      esModuleInterop: false,
      removeComments: false,
      verbatimModuleSyntax: false,
    },
    reportDiagnostics: false,
  });
  return outputText;
}
