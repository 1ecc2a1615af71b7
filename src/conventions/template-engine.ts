import { TemplateError } from './errors.js';

/**
 * A small logic-less template language (a subset of Mustache), enough for code generation:
 *
 * - `{{name}}` inserts a field of the current item (`{{a.b}}` a nested one, `{{.}}` the item
 *   itself). Nothing is escaped. A multi-line value placed after nothing but indentation is
 *   indented the same way on every following line.
 * - `{{#name}}…{{/name}}` renders its body once per element of a list, or once if the field is
 *   true or an object (which then becomes the current item); not at all if it is false, empty
 *   or null. `{{^name}}…{{/name}}` renders its body only in that last case.
 * - `{{! comment }}` renders nothing.
 * - A line holding only a section, closing or comment tag (and spaces) disappears entirely, so
 *   templates can put tags on lines of their own.
 *
 * A field name the data does not have is an error (`file:line: unknown field`), so a typo in an
 * overriding template fails loudly instead of generating code with holes.
 */
export interface CompiledTemplate {
  file: string;
  render(data: object): string;
}

type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string; indent: string; line: number }
  | { kind: 'section'; name: string; inverted: boolean; line: number; children: TemplateNode[] };

const STANDALONE = /^[ \t]*\{\{([#^/!][^{}]*)\}\}[ \t]*(\r?\n|$)/;
const TAG = /\{\{([^{}]*)\}\}/g;

export function compileTemplate(source: string, file: string): CompiledTemplate {
  const root: TemplateNode[] = [];
  const stack: Array<{ node: Extract<TemplateNode, { kind: 'section' }>; parent: TemplateNode[] }> = [];
  let current = root;
  const fail = (line: number, message: string): never => {
    throw new TemplateError({ file, line, message });
  };
  const onTag = (raw: string, line: number, indent: string) => {
    const tag = raw.trim();
    const sigil = tag[0];
    const name = tag.slice(sigil === '#' || sigil === '^' || sigil === '/' || sigil === '!' ? 1 : 0).trim();
    if (sigil === '!') return;
    if (!/^(\.|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)$/.test(name)) {
      fail(line, `bad tag '{{${raw}}}' (expected {{name}}, {{#name}}, {{^name}}, {{/name}} or {{! comment}})`);
    }
    if (sigil === '#' || sigil === '^') {
      const node = { kind: 'section' as const, name, inverted: sigil === '^', line, children: [] };
      current.push(node);
      stack.push({ node, parent: current });
      current = node.children;
    } else if (sigil === '/') {
      const open = stack.pop();
      if (!open) fail(line, `{{/${name}}} closes a section that was never opened`);
      if (open!.node.name !== name) fail(line, `{{/${name}}} closes {{#${open!.node.name}}} opened at line ${open!.node.line}`);
      current = open!.parent;
    } else {
      current.push({ kind: 'field', name, indent, line });
    }
  };

  const lines = source.split(/(?<=\n)/);
  lines.forEach((text, index) => {
    const line = index + 1;
    const standalone = STANDALONE.exec(text);
    if (standalone) {
      onTag(standalone[1]!, line, '');
      return;
    }
    let last = 0;
    for (const match of text.matchAll(TAG)) {
      const before = text.slice(last, match.index);
      if (before) current.push({ kind: 'text', text: before });
      const lineStart = text.slice(0, match.index);
      onTag(match[1]!, line, /^[ \t]*$/.test(lineStart) ? lineStart : '');
      last = match.index! + match[0].length;
    }
    const rest = text.slice(last);
    if (rest.includes('{{') || rest.includes('}}')) fail(line, 'unbalanced {{ or }}');
    if (rest) current.push({ kind: 'text', text: rest });
  });
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!.node;
    fail(open.line, `{{#${open.name}}} is never closed`);
  }

  return {
    file,
    render(data) {
      const out: string[] = [];
      renderNodes(root, [data], out, file);
      return out.join('');
    },
  };
}

const MISSING = Symbol('missing');

function lookup(name: string, contexts: readonly unknown[]): unknown {
  if (name === '.') return contexts[contexts.length - 1];
  const [head, ...rest] = name.split('.');
  for (let i = contexts.length - 1; i >= 0; i--) {
    const context = contexts[i];
    if (context !== null && typeof context === 'object' && Object.hasOwn(context, head!)) {
      let value = (context as Record<string, unknown>)[head!];
      for (const part of rest) {
        if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return MISSING;
        value = (value as Record<string, unknown>)[part];
      }
      return value;
    }
  }
  return MISSING;
}

function renderNodes(nodes: TemplateNode[], contexts: unknown[], out: string[], file: string): void {
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push(node.text);
      continue;
    }
    const value = lookup(node.name, contexts);
    if (value === MISSING) throw new TemplateError({ file, line: node.line, message: `unknown field '${node.name}'` });
    if (node.kind === 'field') {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') {
        throw new TemplateError({ file, line: node.line, message: `field '${node.name}' is a list or an object; use {{#${node.name}}}…{{/${node.name}}}` });
      }
      const text = String(value);
      out.push(node.indent && text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${node.indent}`) : text);
      continue;
    }
    const empty = value === null || value === undefined || value === false || value === '' || (Array.isArray(value) && value.length === 0);
    if (node.inverted) {
      if (empty) renderNodes(node.children, contexts, out, file);
    } else if (!empty) {
      if (Array.isArray(value)) {
        for (const item of value) renderNodes(node.children, [...contexts, item], out, file);
      } else {
        renderNodes(node.children, typeof value === 'object' ? [...contexts, value] : contexts, out, file);
      }
    }
  }
}
