import ts from '#typescript';
import { isWrappedBy, walk, wrapEdits } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { findDeclaration, isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';
import { instanceVariable } from '../express/instances.js';
import { findRoutes, isRouterClass } from './routes.js';

const WRAPPER = 'instrumentKoa';

/** `new Koa()`: the module's main export, in any import style (`require('koa')`, `Koa.default`). */
function isKoaClass(file: SourceFile, callee: ts.Expression): boolean {
  const ref = resolveModuleReference(file, callee);
  if (!ref || ref.module !== 'koa' || ref.path.length !== 0) return false;
  const root = rootIdentifier(callee);
  return !(root && isShadowed(callee, root.text));
}

/** Classes of this file that extend Koa (`class App extends Koa {…}`), directly or through another. */
function koaSubclasses(file: SourceFile): Set<ts.ClassLikeDeclaration> {
  const found = new Set<ts.ClassLikeDeclaration>();
  let grew = true;
  while (grew) {
    grew = false;
    walk(file.ast, (node) => {
      if (!ts.isClassLike(node) || found.has(node)) return;
      const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      if (base && (isKoaClass(file, base) || isSubclassAt(base, found))) {
        found.add(node);
        grew = true;
      }
    });
  }
  return found;
}

/** `App` where it is used names one of those classes. */
function isSubclassAt(expr: ts.Expression, subclasses: ReadonlySet<ts.ClassLikeDeclaration>): boolean {
  if (!ts.isIdentifier(expr) || subclasses.size === 0) return false;
  const declaration = findDeclaration(expr.text, expr);
  return !!declaration && subclasses.has(declaration as ts.ClassLikeDeclaration);
}

function isExported(node: ts.ClassLikeDeclaration): boolean {
  return ts.isClassDeclaration(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * Koa 2 and 3: every app creation (`new Koa(opts)`, whatever the import style) becomes
 * `instrumentKoa(new Koa(opts))`. The helper's first middleware starts the SERVER span, names it
 * after the route @koa/router matched and records errors, also those re-emitted with
 * `ctx.app.emit('error', …)`; so does `new App()` of a class of the file that extends Koa. Routes of @koa/router routers visible in the file (prefixes, nested
 * routers) are reported as `koa.route` inventory sites (see routes.ts).
 */
export const koaTransform: Transform = {
  id: 'koa',
  description: 'Koa apps: SERVER span per request via a first middleware, @koa/router route with prefixes, errors with causes',
  packages: { koa: '^2.13.0 || ^3.0.0', '@koa/router': '>=12.0.0' },
  triggers: ['koa'],
  helpers: ['koa'],
  find(file, context) {
    const sites: FoundSite[] = [];
    const routers: ts.NewExpression[] = [];
    const subclasses = koaSubclasses(file);
    for (const subclass of subclasses) {
      if (isExported(subclass)) context.warn(subclass, `${subclass.name?.text ?? 'this class'} extends Koa: its instances made in other modules are not instrumented; wrap them with instrumentKoa(…)`);
    }
    walk(file.ast, (node) => {
      if (!ts.isNewExpression(node)) return;
      if (isRouterClass(file, node.expression)) routers.push(node);
      if (!isKoaClass(file, node.expression) && !isSubclassAt(node.expression, subclasses)) return;
      const facts = { instance: instanceVariable(node, [WRAPPER])?.name };
      if (isWrappedBy(node, [WRAPPER])) {
        sites.push({ node, site: { kind: 'koa.app', instrumented: true, facts } });
        return;
      }
      sites.push({
        node,
        site: { kind: 'koa.app', instrumented: false, facts },
        plan: {
          edits: wrapEdits(file.ast, node, WRAPPER),
          imports: [{ from: 'helper:koa', name: WRAPPER }],
        },
      });
    });
    sites.push(...findRoutes(file, routers));
    return sites;
  },
};
