import ts from '#typescript';

/** The small style facts generated lines copy from the file they go into. */
export interface CodeStyle {
  eol: '\n' | '\r\n';
  quote: "'" | '"';
  semicolon: boolean;
  /** The keyword of a new `… { x } = require(…)` line: the one the file's own requires use. */
  declaration: 'const' | 'let' | 'var';
}

/** How many string literals are enough to tell the file's quote. */
const QUOTE_SAMPLE = 20;

function requireSpecifier(declaration: ts.VariableDeclaration): ts.StringLiteral | undefined {
  const init = declaration.initializer;
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') return undefined;
  const arg = init.arguments[0];
  return arg && ts.isStringLiteral(arg) ? arg : undefined;
}

function keywordOf(list: ts.VariableDeclarationList): CodeStyle['declaration'] {
  if (list.flags & ts.NodeFlags.Const) return 'const';
  if (list.flags & ts.NodeFlags.Let) return 'let';
  return 'var';
}

/** Statements after which ASI decides whether a `;` is written: their last character tells. */
function endsWithOptionalSemicolon(statement: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    ts.isVariableStatement(statement) ||
    ts.isExpressionStatement(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isExportAssignment(statement) ||
    ts.isReturnStatement(statement) ||
    ts.isThrowStatement(statement)
  );
}

/** How many nodes the style sample looks at, at most: enough to tell, cheap on a large file. */
const SAMPLE_NODES = 5000;

/**
 * The quote of the file's first string literals (by majority) and the keywords of its
 * declarations, functions included; found without recursion.
 */
function sampleStyle(ast: ts.SourceFile): { quote?: CodeStyle['quote']; keywords: Record<CodeStyle['declaration'], number> } {
  let single = 0;
  let double = 0;
  const keywords = { const: 0, let: 0, var: 0 };
  const stack: ts.Node[] = [...ast.statements].reverse();
  for (let visited = 0; stack.length > 0 && visited < SAMPLE_NODES; visited++) {
    const node = stack.pop()!;
    // A directive ('use strict') is written once, often by a tool: the code's own literals decide.
    if (ts.isExpressionStatement(node) && ts.isStringLiteral(node.expression)) continue;
    if (ts.isStringLiteral(node)) {
      if (single + double < QUOTE_SAMPLE) {
        if (ast.text[node.getStart(ast)] === '"') double++;
        else single++;
      }
      continue;
    }
    if (ts.isVariableDeclarationList(node)) keywords[keywordOf(node)]++;
    const children: ts.Node[] = [];
    node.forEachChild((child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  const quote = single + double === 0 ? undefined : double > single ? '"' : "'";
  return { quote, keywords };
}

/**
 * Inserted lines follow the file: its line ending; the quote of its import and require
 * specifiers (else of its string literals); semicolons if most of its top-level statements end
 * with one; and for a new require line, the keyword its requires (else its declarations) use.
 */
export function detectCodeStyle(ast: ts.SourceFile): CodeStyle {
  const text = ast.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let specifierQuote: CodeStyle['quote'] | undefined;
  let requireKeyword: CodeStyle['declaration'] | undefined;
  let withSemicolon = 0;
  let withoutSemicolon = 0;
  for (const statement of ast.statements) {
    if (endsWithOptionalSemicolon(statement)) {
      if (text[statement.end - 1] === ';') withSemicolon++;
      else withoutSemicolon++;
    }
    let specifier: ts.StringLiteral | undefined;
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) specifier = statement.moduleSpecifier;
    if (ts.isVariableStatement(statement)) {
      const keyword = keywordOf(statement.declarationList);
      for (const declaration of statement.declarationList.declarations) {
        const required = requireSpecifier(declaration);
        if (!required) continue;
        specifier ??= required;
        requireKeyword ??= keyword;
      }
    }
    if (specifier && !specifierQuote) specifierQuote = text[specifier.getStart(ast)] === '"' ? '"' : "'";
  }
  const sample = specifierQuote && requireKeyword ? undefined : sampleStyle(ast);
  const quote = specifierQuote ?? sample?.quote ?? "'";
  const keywords = sample?.keywords ?? { const: 0, let: 0, var: 0 };
  const declaration =
    requireKeyword ?? (keywords.var > keywords.const + keywords.let ? 'var' : keywords.let > keywords.const ? 'let' : 'const');
  return { eol, quote, semicolon: withSemicolon >= withoutSemicolon, declaration };
}

export function quoted(style: CodeStyle, value: string): string {
  return `${style.quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(style.quote, 'g'), `\\${style.quote}`)}${style.quote}`;
}
