import ts from '#typescript';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { findDeclaration, isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { SourceFile } from '../../src/codemod/types.js';

export type InstanceKind = 'app' | 'router';

/** What wraps each kind of instance in generated code. */
export const WRAPPERS: Record<InstanceKind, string> = { app: 'instrumentExpress', router: 'instrumentRouter' };

/**
 * `express()` (the module itself, in any import style, `express.default()` included) makes an
 * app; `express.Router()`, a named or destructured `Router()` and `require('express').Router()`
 * make a router. Calls through a local name that hides the import are not factories.
 */
export function factoryKind(file: SourceFile, call: ts.CallExpression): InstanceKind | undefined {
  const ref = resolveModuleReference(file, call.expression);
  if (!ref || ref.module !== 'express') return undefined;
  const kind = ref.path.length === 0 ? 'app' : ref.path.length === 1 && ref.path[0] === 'Router' ? 'router' : undefined;
  if (!kind) return undefined;
  const root = rootIdentifier(call.expression);
  if (root && isShadowed(call, root.text)) return undefined;
  return kind;
}

/** `instrumentExpress(x)` / `instrumentRouter(x)`: the wrapper call around an expression, if any. */
function isWrapperCall(node: ts.Node, wrappers: readonly string[]): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && wrappers.includes(node.expression.text);
}

const EXPRESS_WRAPPERS = Object.values(WRAPPERS);

/** Skips the parentheses, casts and wrapper calls (Express's unless told) around a creation. */
export function outermost(call: ts.Expression, wrappers: readonly string[] = EXPRESS_WRAPPERS): ts.Node {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || ts.isNonNullExpression(node.parent) || isWrapperCall(node.parent, wrappers))) {
    node = node.parent;
  }
  return node;
}

/** The variable an instance is assigned to (`const app = express()` → `app`), for the inventory. */
export function instanceName(call: ts.CallExpression): string | undefined {
  return instanceVariable(call)?.name;
}

/** An instance: the variable it is assigned to, and where that variable is declared. */
export interface Instance {
  name: string;
  kind: InstanceKind;
  /** The variable's declaration: it tells this `app` from an `app` declared in another function. */
  declaration: ts.Node;
  /** Assigned without a declaration (`app = express()`, a sloppy-mode global): `declaration` is that assignment's name. */
  undeclared?: true;
}

/**
 * The variable an instance is assigned to and its declaration: `const app = express()`, through
 * assignment chains (`const app = module.exports = express()`) and to a variable declared before
 * (`let app; app = express()`).
 */
export function instanceVariable(call: ts.Expression, wrappers?: readonly string[]): { name: string; declaration: ts.Node; undeclared?: true } | undefined {
  let node = outermost(call, wrappers);
  while (node.parent && ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.parent.right === node) {
    const left = node.parent.left;
    if (ts.isIdentifier(left)) {
      const declaration = findDeclaration(left.text, left);
      return declaration ? { name: left.text, declaration } : { name: left.text, declaration: left, undeclared: true };
    }
    node = node.parent;
  }
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { name: parent.name.text, declaration: parent };
  return undefined;
}

/** The instance an identifier refers to where it is used, if any. */
export function instanceAt(expr: ts.Node, instances: ReadonlyMap<ts.Node, Instance>): Instance | undefined {
  if (!ts.isIdentifier(expr)) return undefined;
  const declaration = findDeclaration(expr.text, expr);
  if (declaration) return instances.get(declaration);
  for (const instance of instances.values()) if (instance.undeclared && instance.name === expr.text) return instance;
  return undefined;
}
