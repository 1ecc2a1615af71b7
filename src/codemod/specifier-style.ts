import ts from '#typescript';
import type { SourceFile } from './types.js';
import type { ProjectConfig } from './tsconfig.js';

/** How a TypeScript file's relative imports end: `./x.js`, `./x.ts`, or `./x`. */
export type TsSpecifierEnding = '.js' | '.ts' | '';

/** The file's own relative import specifiers (helpers' left out), in order. */
export function relativeSpecifiers(file: SourceFile): string[] {
  const found: string[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node) && node.text.startsWith('.') && !/(^|\/)otel-instrument\//.test(node.text)) found.push(node.text);
  };
  for (const statement of file.ast.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) add(statement.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) add(statement.moduleReference.expression);
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') add(init.arguments[0]);
      }
    }
  }
  return found;
}

function endingOf(specifier: string): TsSpecifierEnding | undefined {
  if (/\.[mc]?jsx?$/.test(specifier)) return '.js';
  if (/\.[mc]?tsx?$/.test(specifier)) return '.ts';
  // `./user.service` is extensionless too; `.json` and other assets say nothing.
  if (/\.(json|node|css|svg|png|wasm)$/.test(specifier)) return undefined;
  return '';
}

function usesNodeEsmResolution(config: ProjectConfig | undefined): boolean {
  const options = config?.options;
  if (!options) return false;
  const resolution = options.moduleResolution;
  if (resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext) return true;
  if (resolution !== undefined) return false;
  const kind = options.module;
  return kind !== undefined && kind >= ts.ModuleKind.Node16 && kind <= ts.ModuleKind.NodeNext;
}

/**
 * How a TypeScript file imports a helper, so that the project's own resolver finds it (tsc,
 * ts-node, tsx, a bundler): first the file's own relative imports (majority; extensionless where
 * they are, `.ts` where the project imports `.ts`), then its tsconfig: Node16/NodeNext resolution
 * for an ES module needs `.js`; `allowImportingTsExtensions` takes `.ts`; everything else
 * (CommonJS, `bundler`, `node10`) resolves extensionless, which is also what ts-node's CommonJS
 * loader needs. Without a tsconfig: `.js` in an ES module package, else extensionless.
 */
export function tsSpecifierEnding(file: SourceFile, config: ProjectConfig | undefined, esm: boolean): TsSpecifierEnding {
  return tsSpecifierEndingOf(relativeSpecifiers(file), config, esm);
}

/** The same, from the file's relative specifiers (what a plan worker hands back instead of the AST). */
export function tsSpecifierEndingOf(specifiers: readonly string[], config: ProjectConfig | undefined, esm: boolean): TsSpecifierEnding {
  const counts = new Map<TsSpecifierEnding, number>();
  for (const specifier of specifiers) {
    const ending = endingOf(specifier);
    if (ending !== undefined) counts.set(ending, (counts.get(ending) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length > 0 && (ranked.length === 1 || ranked[0]![1] > ranked[1]![1])) {
    const ending = ranked[0]![0];
    // Extensionless cannot resolve in a Node ES module: the file's style loses to the resolver there.
    if (!(ending === '' && esm && usesNodeEsmResolution(config))) return ending;
  }
  return resolverEnding(config, esm);
}

/**
 * The ending the project's resolver needs, from its tsconfig alone: what generated helpers use
 * between themselves, and what a file without relative imports of its own gets.
 */
export function resolverEnding(config: ProjectConfig | undefined, esm: boolean): TsSpecifierEnding {
  if (!config) return esm ? '.js' : '';
  if (usesNodeEsmResolution(config) && esm) return '.js';
  if (config.options.allowImportingTsExtensions) return '.ts';
  return '';
}
