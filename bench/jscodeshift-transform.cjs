// A jscodeshift transform comparable to otel-instrument's: wrap express()/Fastify() and rename
// global fetch, add the helper import. Same cheap text prefilter before parsing.
const TRIGGERS = ['express', 'fastify', 'fetch'];

module.exports = function transform(file, api) {
  if (!TRIGGERS.some((t) => file.source.includes(t))) return undefined;
  const j = api.jscodeshift;
  const root = j(file.source);
  let changed = false;
  root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'fetch' } }).forEach((p) => {
    p.node.callee = j.identifier('tracedFetch');
    changed = true;
  });
  for (const name of ['express', 'Fastify']) {
    root.find(j.CallExpression, { callee: { type: 'Identifier', name } }).forEach((p) => {
      j(p).replaceWith(j.callExpression(j.identifier(`instrument${name[0].toUpperCase()}${name.slice(1)}`), [p.node]));
      changed = true;
    });
  }
  if (!changed) return undefined;
  const imports = root.find(j.ImportDeclaration);
  const decl = j.importDeclaration([j.importSpecifier(j.identifier('tracedFetch'))], j.literal('./otel-instrument/http-client.js'));
  if (imports.length) imports.at(imports.length - 1).insertAfter(decl);
  else root.get().node.program.body.unshift(decl);
  return root.toSource();
};
module.exports.parser = 'ts';
