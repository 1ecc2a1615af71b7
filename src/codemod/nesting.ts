import ts from '#typescript';

/**
 * The TypeScript parser and every tree walk recurse once per level of nesting: a file nested a
 * thousand deep (parentheses, arrays, calls) or a generated 10,000-term concatenation exhausts
 * the stack. Such a file is reported at the place where it is deepest; the run goes on.
 */
export const TOO_DEEPLY_NESTED = 'too deeply nested';

export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Deepest node of a tree that parsed, found without recursion; its start is what gets reported. */
export function deepestNode(ast: ts.SourceFile): ts.Node {
  let deepest: ts.Node = ast;
  let maxDepth = 0;
  const stack: [ts.Node, number][] = [[ast, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) {
      maxDepth = depth;
      deepest = node;
    }
    const children: ts.Node[] = [];
    node.forEachChild((child) => {
      children.push(child);
    });
    // Reversed so that, among equally deep nodes, the first in the source wins.
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
  return deepest;
}

/** Tokens after which a `/` starts a regular expression rather than a division. */
function endsOperand(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.Identifier ||
    kind === ts.SyntaxKind.CloseParenToken ||
    kind === ts.SyntaxKind.CloseBracketToken ||
    kind === ts.SyntaxKind.CloseBraceToken ||
    kind === ts.SyntaxKind.ThisKeyword ||
    kind === ts.SyntaxKind.SuperKeyword ||
    (kind >= ts.SyntaxKind.FirstLiteralToken && kind <= ts.SyntaxKind.LastLiteralToken) ||
    kind === ts.SyntaxKind.TemplateTail
  );
}

/**
 * Where a file that the parser could not get through is nested deepest, from its tokens alone:
 * brackets, template substitutions and `?` of conditionals open a level. The start of the first
 * token at the greatest depth.
 */
export function deepestTokenPosition(text: string, jsx: boolean): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const open: ts.SyntaxKind[] = [];
  let maxDepth = 0;
  let deepest = 0;
  let previous = ts.SyntaxKind.Unknown;
  /** Template substitutions open on the stack: a `}` may end one. */
  let templates = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !endsOperand(previous)) {
      kind = scanner.reScanSlashToken();
    }
    if (kind === ts.SyntaxKind.CloseBraceToken && templates > 0) {
      while (open.length > 0 && open[open.length - 1] === ts.SyntaxKind.QuestionToken) open.pop();
      if (open[open.length - 1] === ts.SyntaxKind.TemplateHead) {
        open.pop();
        templates--;
        kind = scanner.reScanTemplateToken(false);
      }
    }
    switch (kind) {
      case ts.SyntaxKind.OpenParenToken:
      case ts.SyntaxKind.OpenBracketToken:
      case ts.SyntaxKind.OpenBraceToken:
      case ts.SyntaxKind.QuestionToken:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
        if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle) templates++;
        open.push(kind === ts.SyntaxKind.TemplateMiddle ? ts.SyntaxKind.TemplateHead : kind);
        if (open.length > maxDepth) {
          maxDepth = open.length;
          deepest = scanner.getTokenStart();
        }
        break;
      case ts.SyntaxKind.ColonToken:
        if (open[open.length - 1] === ts.SyntaxKind.QuestionToken) open.pop();
        break;
      case ts.SyntaxKind.CloseParenToken:
      case ts.SyntaxKind.CloseBracketToken:
      case ts.SyntaxKind.CloseBraceToken: {
        // A conditional still open ends with the bracket around it.
        while (open.length > 0 && open[open.length - 1] === ts.SyntaxKind.QuestionToken) open.pop();
        if (open.pop() === ts.SyntaxKind.TemplateHead) templates--;
        break;
      }
    }
    previous = kind;
  }
  return deepest;
}
