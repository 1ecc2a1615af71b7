import ts from '#typescript';
import { walk, wrapEdits } from './ast.js';
import { resolveModuleReference } from './bindings.js';
import { isShadowed, rootIdentifier } from './scope.js';
import type { FoundSite, SourceFile } from './types.js';

/** A function of a logger package that makes loggers, and how the helper wraps it. */
export interface LoggerFactory {
  /** Site kind, `pino.logger`. */
  kind: string;
  module: string;
  /** Member paths that name the factory: `[]` for the module itself, `['createLogger']`. */
  paths: readonly (readonly string[])[];
  /** Also `new X(…)` (bunyan's `Logger` constructor). */
  construct?: boolean;
  /** Helper module id and the exported wrapper. */
  helper: string;
  wrapper: string;
  /**
   * `callee`: the factory is wrapped, `tracePino(pino)(options)` (the options must reach it);
   * `result`: the logger it returns is, `traceWinston(createLogger(options))`.
   */
  wrap: 'callee' | 'result';
}

function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  return node;
}

/** `wrapper(x)`, with `x` the first argument. */
function wrapperArgument(node: ts.Expression, wrapper: string): ts.Expression | undefined {
  node = skipParentheses(node);
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === wrapper ? node.arguments[0] : undefined;
}

function isFactory(file: SourceFile, factory: LoggerFactory, callee: ts.Expression): boolean {
  const ref = resolveModuleReference(file, skipParentheses(callee));
  if (!ref || ref.module !== factory.module) return false;
  if (!factory.paths.some((p) => p.length === ref.path.length && p.every((name, i) => name === ref.path[i]))) return false;
  const root = rootIdentifier(callee);
  return !(root && isShadowed(callee, root.text));
}

/** Whether the logger a creation returns is already passed to the wrapper (`wrapper(createLogger(…))`). */
function resultWrapped(node: ts.Node, wrapper: string): boolean {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))) parent = parent.parent;
  return !!parent && ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === wrapper;
}

/**
 * The logger creations of a file (any import style, local names that hide the import left out),
 * each planned to go through the factory's helper; those an earlier run wrapped are reported as
 * instrumented.
 */
export function loggerSites(file: SourceFile, factories: readonly LoggerFactory[]): FoundSite[] {
  const sites: FoundSite[] = [];
  const ast = file.ast;
  walk(ast, (node) => {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return;
    for (const factory of factories) {
      if (ts.isNewExpression(node) && !factory.construct) continue;
      const callee = node.expression;
      if (factory.wrap === 'callee' && ts.isCallExpression(node)) {
        const wrapped = wrapperArgument(callee, factory.wrapper);
        if (wrapped && isFactory(file, factory, wrapped)) {
          sites.push({ node, site: { kind: factory.kind, instrumented: true, facts: {} } });
          return;
        }
      }
      if (!isFactory(file, factory, callee)) continue;
      if (factory.wrap === 'result' && resultWrapped(node, factory.wrapper)) {
        sites.push({ node, site: { kind: factory.kind, instrumented: true, facts: {} } });
        return;
      }
      const target = factory.wrap === 'callee' ? callee : node;
      sites.push({
        node,
        site: { kind: factory.kind, instrumented: false, facts: {} },
        plan: {
          edits: wrapEdits(ast, target, factory.wrapper),
          imports: [{ from: factory.helper, name: factory.wrapper }],
        },
      });
      return;
    }
  });
  return sites;
}
