import ts from '#typescript';

/** The small style facts generated lines copy from the file they go into. */
export interface CodeStyle {
  eol: '\n' | '\r\n';
  quote: "'" | '"';
  semicolon: boolean;
}

export function detectCodeStyle(ast: ts.SourceFile): CodeStyle {
  const text = ast.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let quote: CodeStyle['quote'] = "'";
  let semicolon = true;
  const firstImportLike = ast.statements.find(
    (s) => ts.isImportDeclaration(s) || ts.isVariableStatement(s) || ts.isExpressionStatement(s),
  );
  const literal = ast.statements
    .map((s) => (ts.isImportDeclaration(s) ? s.moduleSpecifier : undefined))
    .find((s): s is ts.StringLiteral => !!s && ts.isStringLiteral(s));
  const quoteSample = literal ? text[literal.getStart(ast)] : /(['"])[^'"\n]*\1/.exec(text)?.[1];
  if (quoteSample === '"') quote = '"';
  if (firstImportLike) semicolon = text[firstImportLike.end - 1] === ';';
  return { eol, quote, semicolon };
}

export function quoted(style: CodeStyle, value: string): string {
  return `${style.quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(style.quote, 'g'), `\\${style.quote}`)}${style.quote}`;
}
