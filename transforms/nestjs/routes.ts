import ts from '#typescript';
import { callExpressions, objectProperty, staticString } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import type { FoundSite, SourceFile } from '../../src/codemod/types.js';

/** The route decorators of @nestjs/common and the method each registers (`@All` any). */
const ROUTE_DECORATORS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Delete: 'DELETE', Patch: 'PATCH', Options: 'OPTIONS', Head: 'HEAD', All: 'ALL', Search: 'SEARCH' };

/** Nest's path segment: a leading slash, no trailing one; `''` for none. */
function segment(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** The paths a decorator argument gives: a string, an array of strings; `['']` without one; undefined when not static. */
function paths(arg: ts.Expression | undefined): string[] | undefined {
  if (!arg) return [''];
  const single = staticString(arg);
  if (single !== undefined) return [single];
  if (ts.isArrayLiteralExpression(arg)) {
    const all = arg.elements.map(staticString);
    return all.every((p): p is string => p !== undefined) ? all : undefined;
  }
  return undefined;
}

/** `@Name(args)` decorators of a node that refer to @nestjs/common's `Name`. */
function nestDecorators(file: SourceFile, node: ts.Node): { name: string; call: ts.CallExpression }[] {
  const decorators = ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
  const found: { name: string; call: ts.CallExpression }[] = [];
  for (const d of decorators) {
    if (!ts.isCallExpression(d.expression)) continue;
    const ref = resolveModuleReference(file, d.expression.expression);
    if (ref?.module === '@nestjs/common' && ref.path.length === 1) found.push({ name: ref.path[0]!, call: d.expression });
  }
  return found;
}

/** A version (`'1'`, `['1', '2']`) as written; VERSION_NEUTRAL and expressions are not read. */
function versions(arg: ts.Expression | undefined): string[] | undefined {
  if (!arg) return undefined;
  const p = paths(arg);
  return p && p.every((v) => v !== '') ? p : undefined;
}

/**
 * The route inventory of a file: one `nestjs.route` site per route decorator of a method of a
 * `@Controller` class, with its method and its template: controller path + method path, as Nest
 * joins them. Nest adds the global prefix and the URI version prefix, which the application
 * file tells (`nestjs.app` facts): the route carries `mounted: false` and its `version`, and the
 * inventory completes it.
 */
export function findControllerRoutes(file: SourceFile): FoundSite[] {
  const sites: FoundSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) {
      const controller = nestDecorators(file, node).find((d) => d.name === 'Controller');
      if (controller) sites.push(...controllerRoutes(file, node, controller.call));
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return sites;
}

function controllerRoutes(file: SourceFile, cls: ts.ClassDeclaration, controller: ts.CallExpression): FoundSite[] {
  const arg = controller.arguments[0];
  const options = arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
  const bases = options ? paths(objectProperty(options, 'path')) : paths(arg);
  const controllerVersions = options ? versions(objectProperty(options, 'version')) : undefined;
  const sites: FoundSite[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const decorators = nestDecorators(file, member);
    const version = versions(decorators.find((d) => d.name === 'Version')?.call.arguments[0]) ?? controllerVersions;
    for (const d of decorators) {
      const method = ROUTE_DECORATORS[d.name];
      if (!method) continue;
      const own = paths(d.call.arguments[0]);
      if (!own || !bases) continue;
      for (const base of bases) {
        for (const p of own) {
          const route = segment(base) + segment(p) || '/';
          for (const v of version ?? [undefined]) {
            const facts = { method, route, controller: cls.name?.text, mounted: false, ...(v ? { version: v } : {}) };
            sites.push({ node: d.call, site: { kind: 'nestjs.route', instrumented: true, facts } });
          }
        }
      }
    }
  }
  return sites;
}

/**
 * What the application file tells about every route: the global prefix (`app.setGlobalPrefix('api')`,
 * with the paths it excludes) and URI versioning (`app.enableVersioning({ type: VersioningType.URI, prefix })`), read from
 * calls on the variable the application is assigned to.
 */
export function applicationFacts(file: SourceFile, create: ts.CallExpression): Record<string, string | string[] | undefined> {
  const facts: Record<string, string | string[] | undefined> = {};
  let scope: ts.Node = create;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  for (const call of callExpressions(scope)) {
    if (!ts.isPropertyAccessExpression(call.expression)) continue;
    const method = call.expression.name.text;
    if (method === 'setGlobalPrefix') {
      const prefix = staticString(call.arguments[0]);
      if (prefix !== undefined) facts.prefix = segment(prefix);
      // `{ exclude: ['health', { path: 'metrics', method: RequestMethod.GET }] }`: routes served without the prefix.
      const exclude = objectProperty(call.arguments[1], 'exclude');
      if (exclude && ts.isArrayLiteralExpression(exclude)) {
        const paths = exclude.elements.map((e) => staticString(ts.isObjectLiteralExpression(e) ? objectProperty(e, 'path') : e)).filter((p): p is string => p !== undefined);
        if (paths.length > 0) facts.prefixExclude = paths.map((p) => segment(p) || '/');
      }
    } else if (method === 'enableVersioning') {
      const options = call.arguments[0];
      const type = objectProperty(options, 'type');
      const uri = !type || (ts.isPropertyAccessExpression(type) && type.name.text === 'URI');
      if (uri) facts.versioning = 'uri';
      const prefix = objectProperty(options, 'prefix');
      facts.versionPrefix = prefix ? staticString(prefix) : 'v';
    }
  }
  return facts;
}
