/**
 * Go doc comments from the Markdown of briefs and notes, written in the form gofmt keeps as it
 * is: paragraphs wrapped at 80 columns, list items indented (`//   - item`), fenced code as
 * tab-indented blocks, `[text](url)` links as Go doc links with their definitions at the end.
 */

const WIDTH = 77;

interface Block {
  kind: 'paragraph' | 'item' | 'code';
  marker?: string;
  lines: string[];
}

const LIST_ITEM = /^\s*([-*+]|\d{1,3}[.)])\s+(.*)$/;

/** Splits Markdown into paragraphs, list items and code blocks. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  let fence: Block | undefined;
  for (const raw of markdown.replace(/\r\n/g, '\n').split('\n')) {
    if (fence) {
      if (/^\s*(```|~~~)/.test(raw)) fence = undefined;
      else fence.lines.push(raw.replace(/\s+$/, ''));
      continue;
    }
    if (/^\s*(```|~~~)/.test(raw)) {
      fence = { kind: 'code', lines: [] };
      out.push(fence);
      current = undefined;
      continue;
    }
    const line = raw.trim();
    if (!line) {
      current = undefined;
      continue;
    }
    const item = LIST_ITEM.exec(raw);
    if (item) {
      const number = /^\d/.test(item[1]!) ? item[1]!.replace(')', '.') : '-';
      current = { kind: 'item', marker: number, lines: [item[2]!.trim()] };
      out.push(current);
    } else if (current) current.lines.push(line);
    else {
      current = { kind: 'paragraph', lines: [line] };
      out.push(current);
    }
  }
  return out;
}

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Rewrites `[text](url)` into Go doc links, collecting their definitions. */
function linkify(text: string, links: Map<string, string>): string {
  return text.replace(/\[([^[\]\n]+)\]\(([^()\s]+)\)/g, (whole, label: string, url: string) => {
    const known = links.get(label);
    if (known === undefined) {
      links.set(label, url);
      return `[${label}]`;
    }
    return known === url ? `[${label}]` : `${label} (${url})`;
  });
}

/** A doc paragraph: Markdown to reflow, or lines to keep as they are. */
export type DocParagraph = string | { lines: string[]; /** No blank line before these lines. */ attached?: boolean };

/**
 * Comment text (without `//`) from paragraphs; empty ones are skipped. Pass it to `goComment`.
 */
export function goDocText(paragraphs: DocParagraph[]): string[] {
  const links = new Map<string, string>();
  const lines: string[] = [];
  let previous: Block['kind'] | 'fixed' | undefined;
  for (const paragraph of paragraphs) {
    if (typeof paragraph !== 'string') {
      if (paragraph.lines.length === 0) continue;
      if (lines.length > 0 && !paragraph.attached) lines.push('');
      lines.push(...paragraph.lines);
      previous = 'fixed';
      continue;
    }
    for (const block of blocks(paragraph)) {
      if (block.kind === 'code') {
        const code = block.lines.slice();
        while (code.length > 0 && code[code.length - 1] === '') code.pop();
        if (code.length === 0) continue;
        if (lines.length > 0) lines.push('');
        lines.push(...code.map((line) => (line ? `\t${line}` : '')));
        previous = 'code';
        continue;
      }
      const text = linkify(block.lines.join(' '), links);
      if (block.kind === 'item') {
        if (lines.length > 0 && previous !== 'item') lines.push('');
        const lead = block.marker === '-' ? '  - ' : ` ${block.marker} `;
        wrap(text, WIDTH - 4).forEach((line, index) => lines.push(index === 0 ? `${lead}${line}` : `    ${line}`));
      } else {
        if (lines.length > 0) lines.push('');
        lines.push(...wrap(text, WIDTH));
      }
      previous = block.kind;
    }
  }
  if (links.size > 0) {
    lines.push('');
    for (const [label, url] of links) lines.push(`[${label}]: ${url}`);
  }
  return lines;
}

/** `//` comment lines, indented by `indent`; tab-indented code gets `//` without a space. */
export function goComment(lines: string[], indent = ''): string {
  return lines
    .map((line) => (line === '' ? `${indent}//` : line.startsWith('\t') ? `${indent}//${line}` : `${indent}// ${line}`))
    .join('\n');
}

const NORMATIVE = ['MUST', 'REQUIRED', 'SHALL', 'SHOULD', 'RECOMMENDED', 'MAY', 'OPTIONAL'];

function lowerFirst(text: string): string {
  if (text.length > 1 && /\p{Lu}/u.test(text[0]!) && /\p{Lu}/u.test(text[1]!)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The official generator's `It represents …` sentence built from a brief. */
export function itRepresents(brief: string): string {
  const text = brief.trim();
  if (!text) return '';
  const firstWord = text.split(/\s/)[0]!;
  const trimmed = text.replace(/^\.+|\.+$/g, '');
  if (NORMATIVE.includes(firstWord)) return `It ${trimmed}.`;
  if (/^(A|An|The) /.test(text)) return `It represents ${lowerFirst(trimmed)}.`;
  return `It represents the ${lowerFirst(trimmed)}.`;
}
