import type ts from 'typescript';
import type { FindContext } from '../../src/codemod/types.js';

/** A FindContext for calling a transform's find() directly: records warnings, knows the given dependencies. */
export function findContext(dependencies: readonly string[] = []): FindContext & { warnings: { node: ts.Node; message: string }[] } {
  const warnings: { node: ts.Node; message: string }[] = [];
  return { warnings, warn: (node, message) => warnings.push({ node, message }), dependsOn: (pkg) => dependencies.includes(pkg) };
}
