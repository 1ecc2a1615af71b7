/** Go identifiers and literals for names taken from the Node code (routes, topics, queues). */

/** Words Go spells in capitals (golint's initialisms) when they start a name part. */
const INITIALISMS = new Set(['api', 'id', 'ids', 'url', 'uri', 'http', 'https', 'json', 'xml', 'sql', 'ip', 'uuid', 'html', 'css', 'tcp', 'udp', 'tls', 'ttl', 'rpc', 'cpu', 'db', 'io']);

/** Splits `orders.created`, `userId`, `user_id`, `:id` into words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function capitalised(word: string): string {
  if (word === 'ids') return 'IDs';
  return INITIALISMS.has(word) ? word.toUpperCase() : word[0]!.toUpperCase() + word.slice(1);
}

/** `orders.created` → `OrdersCreated`; a leading digit gets a `N` in front. */
export function exportedName(text: string): string {
  const name = words(text).map(capitalised).join('');
  if (name === '') return 'X';
  return /^[0-9]/.test(name) ? `N${name}` : name;
}

const GO_KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if',
  'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

/** `user_id` → `userID`: a parameter name; keywords and predeclared clashes get a `Param` suffix. */
export function localName(text: string): string {
  const [first = 'x', ...rest] = words(text);
  // The first word stays lower case, initialism or not (`id`, `url`); the rest are capitalised.
  const name = first + rest.map(capitalised).join('');
  const safe = /^[0-9]/.test(name) ? `p${name}` : name;
  return GO_KEYWORDS.has(safe) || ['ctx', 'body', 'c', 'string', 'error', 'len', 'url'].includes(safe) ? `${safe}Param` : safe;
}

/** `prefix` + the exported form of `text`, made unique among `taken` with a number. */
export function uniqueName(prefix: string, text: string, taken: Set<string>): string {
  const base = prefix + exportedName(text);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

/** A Go interpreted string literal (JSON's escapes are Go's, for what JSON emits). */
export function goString(text: string): string {
  return JSON.stringify(text);
}

/** Text safe inside a `//` comment on one line. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
