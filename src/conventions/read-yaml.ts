import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Problem } from './errors.js';

/** Line numbers of a mapping or sequence and of each of its keys or items. */
interface Lines {
  self: number;
  keys: Map<string | number, number>;
}

/** A YAML file as plain data, with the line of every mapping, sequence, key and item. */
export interface YamlFile {
  /** The path used in messages. */
  file: string;
  data: unknown;
  /** Line of `node` (a mapping or sequence from `data`), or of one of its keys or items. */
  lineOf(node: unknown, key?: string | number): number;
}

/** Parses one YAML file; syntax errors come back as problems with their line. */
export function readYaml(file: string, text: string): { yaml?: YamlFile; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => ({
        file,
        line: lineAt(unclosedQuoteStart(text, error.message, error.pos[0]) ?? error.pos[0]),
        message: `invalid YAML: ${firstLine(error.message)}`,
      })),
    };
  }
  const lines = new WeakMap<object, Lines>();
  const data = toData(doc, doc.contents, lines, lineAt, 0);
  return {
    problems: [],
    yaml: {
      file,
      data,
      lineOf(node, key) {
        if (node === null || typeof node !== 'object') return 1;
        const entry = lines.get(node);
        if (!entry) return 1;
        if (key === undefined) return entry.self;
        return entry.keys.get(key) ?? entry.self;
      },
    },
  };
}

/**
 * The parser reports an unclosed quote where the file ends; the quote that opens the scalar is
 * where the author has to look.
 */
function unclosedQuoteStart(text: string, message: string, offset: number): number | undefined {
  const quote = /Missing closing (["'])quote/.exec(message)?.[1];
  if (!quote) return undefined;
  let start: number | undefined;
  for (const match of text.slice(0, offset).matchAll(new RegExp(`(?:^|[\\s:,[{-])${quote}`, 'g'))) start = match.index + match[0].length - 1;
  return start;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function toData(
  doc: Document,
  node: Node | null | undefined,
  lines: WeakMap<object, Lines>,
  lineAt: (offset: number) => number,
  depth: number,
): unknown {
  if (node === null || node === undefined) return null;
  if (depth > 64) return null;
  if (isAlias(node)) return toData(doc, node.resolve(doc) as Node | undefined, lines, lineAt, depth + 1);
  if (isScalar(node)) return node.value;
  const start = node.range ? lineAt(node.range[0]) : 1;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const keys = new Map<string | number, number>();
    lines.set(out, { self: start, keys });
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      out[key] = toData(doc, pair.value as Node | null, lines, lineAt, depth + 1);
      keys.set(key, keyNode?.range ? lineAt(keyNode.range[0]) : start);
    }
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const keys = new Map<string | number, number>();
    lines.set(out, { self: start, keys });
    node.items.forEach((item, index) => {
      const itemNode = item as Node | null;
      out.push(toData(doc, itemNode, lines, lineAt, depth + 1));
      keys.set(index, itemNode?.range ? lineAt(itemNode.range[0]) : start);
    });
    return out;
  }
  return null;
}
