/**
 * Identifier rules of the official generators, restated (not copied):
 *
 * - JavaScript (`@opentelemetry/semantic-conventions`, weaver's `screaming_snake_case`): dots
 *   become underscores, the name is split into words on `_` (and on `-`, spaces and lower→upper
 *   case changes, which official names never contain), digits stay inside their word (`k8s` →
 *   `K8S`, `ipv4` → `IPV4`), and the words are upper-cased and joined with `_`.
 * - Go (`go.opentelemetry.io/otel/semconv`, weaver's `acronym` filter in the Go templates):
 *   underscores become dots, every run of letters and digits that is a known acronym (compared
 *   case-insensitively) is replaced by its spelling in the list (`http` → `HTTP`, `ipv4` →
 *   `IPv4`), the first letter after each dot or underscore is upper-cased and the separators
 *   dropped, and finally a few fixed substrings are replaced (`Lineno` → `LineNumber`, …).
 */

/** `http.request.method` → `HTTP_REQUEST_METHOD`. */
export function screamingSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[._\-\s]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toUpperCase())
    .join('_');
}

export const tsNames = {
  attribute: (key: string) => `ATTR_${screamingSnakeCase(key)}`,
  enumValue: (key: string, memberId: string) => `${screamingSnakeCase(key)}_VALUE_${screamingSnakeCase(memberId)}`,
  metric: (name: string) => `METRIC_${screamingSnakeCase(name)}`,
  event: (name: string) => `EVENT_${screamingSnakeCase(name)}`,
};

/** Spellings the Go generator uses for words (acronyms and brand names) and for substrings. */
export interface GoNamingRules {
  acronyms: readonly string[];
  /** Applied in order to the finished name: `[from, to]`. */
  replacements: ReadonlyArray<readonly [string, string]>;
}

/** Builds the Go name function for a set of rules (the acronym table is built once). */
export function goNamer(rules: GoNamingRules): (name: string) => string {
  const spelling = new Map(rules.acronyms.map((acronym) => [acronym.toLowerCase(), acronym]));
  // Each name is asked for several times (collision check, then rendering).
  const known = new Map<string, string>();
  return (name) => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const dotted = name.replace(/ /g, '').replace(/_/g, '.');
    const withAcronyms = dotted.replace(/[\p{L}\p{N}_]+/gu, (word) => spelling.get(word.toLowerCase()) ?? word);
    let out = '';
    for (let i = 0; i < withAcronyms.length; i++) {
      const c = withAcronyms[i]!;
      if (c === '.' || c === '_') continue;
      const previous = withAcronyms[i - 1];
      out += i === 0 || previous === '.' || previous === '_' ? c.toUpperCase() : c;
    }
    for (const [from, to] of rules.replacements) out = out.split(from).join(to);
    known.set(name, out);
    return out;
  };
}

export function goNames(goName: (name: string) => string) {
  return {
    key: (key: string) => `${goName(key)}Key`,
    func: (key: string) => goName(key),
    enumValue: (key: string, memberId: string) => goName(`${key}.${memberId}`),
  };
}

export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const GO_IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
