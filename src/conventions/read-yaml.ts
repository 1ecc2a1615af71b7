import { CORE_SCHEMA, load, YAMLException, type EventType, type State } from 'js-yaml';
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

/** One node being read: where it starts, and the nodes read inside it (keys and values, items). */
interface Frame {
  line: number;
  children: Frame[];
  result?: unknown;
}

/**
 * Deepest nesting of mappings and sequences read. The semantic-conventions model nests about ten
 * levels; the parser is recursive and overflows the call stack at about 2,000, so a file nested
 * deeper than this is a problem at its line, not a crash.
 */
export const MAX_NESTING = 256;

/** Thrown from the parser's listener to stop reading a file nested deeper than MAX_NESTING. */
class TooDeep extends Error {
  constructor(readonly line: number) {
    super('too deeply nested');
  }
}

/**
 * Parses one YAML file (YAML 1.2 core schema, duplicate keys rejected); syntax errors come back
 * as problems with their line. js-yaml reads the semconv model 4x (cold) to 10x (warm) faster than a
 * full YAML AST would; its node events give the lines.
 */
export function readYaml(file: string, text: string): { yaml?: YamlFile; problems: Problem[] } {
  const lines = new WeakMap<object, Lines>();
  const stack: Frame[] = [{ line: 1, children: [] }];
  const listener = (event: EventType, state: State) => {
    if (event === 'open') {
      if (stack.length > MAX_NESTING) throw new TooDeep(state.line + 1);
      stack.push({ line: state.line + 1, children: [] });
      return;
    }
    const frame = stack.pop()!;
    const result: unknown = state.result;
    frame.result = result;
    stack[stack.length - 1]!.children.push(frame);
    if (result !== null && typeof result === 'object' && !lines.has(result)) lines.set(result, linesOf(frame, result));
  };
  let data: unknown;
  try {
    data = load(text, { filename: file, schema: CORE_SCHEMA, listener });
  } catch (error) {
    if (error instanceof TooDeep || error instanceof RangeError) {
      const line = error instanceof TooDeep ? error.line : stack[stack.length - 1]!.line;
      return { problems: [{ file, line, message: `too deeply nested (more than ${MAX_NESTING} levels of mappings and sequences)` }] };
    }
    if (!(error instanceof YAMLException)) throw error;
    const offset = error.mark?.position ?? 0;
    const line = lineAt(text, unclosedQuoteStart(text, error.reason, offset) ?? offset);
    return { problems: [{ file, line, message: `invalid YAML: ${error.reason}` }] };
  }
  return {
    problems: [],
    yaml: {
      file,
      data: data ?? null,
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

/** Lines of a mapping's keys (its children are key, value, key, value…) or of a sequence's items. */
function linesOf(frame: Frame, node: object): Lines {
  const keys = new Map<string | number, number>();
  const children = frame.children;
  if (Array.isArray(node)) {
    if (children.length === node.length) children.forEach((child, index) => keys.set(index, child.line));
  } else {
    const names = new Set(Object.keys(node));
    const step = children.length === names.size * 2 ? 2 : 1;
    for (let i = 0; i < children.length; i += step) {
      const name = children[i]!.result;
      if ((typeof name === 'string' || typeof name === 'number') && names.has(String(name)) && !keys.has(String(name))) {
        keys.set(String(name), children[i]!.line);
      }
    }
  }
  const first = children[0]?.line;
  return { self: first !== undefined && first > frame.line ? first : frame.line, keys };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The parser reports an unclosed quote where the file ends; the quote that opens the scalar is
 * where the author has to look.
 */
function unclosedQuoteStart(text: string, reason: string, offset: number): number | undefined {
  const kind = /within a (double|single) quoted scalar/.exec(reason)?.[1];
  if (!kind) return undefined;
  const quote = kind === 'double' ? '"' : "'";
  let start: number | undefined;
  for (const match of text.slice(0, offset).matchAll(new RegExp(`(?:^|[\\s:,[{-])${quote}`, 'g'))) start = match.index + match[0].length - 1;
  return start;
}
