import { ConventionsOptionsError, ModelInvalidError, TemplateError, type Problem } from './errors.js';
import { goComment, goDocText, itRepresents, type DocParagraph } from './go-doc.js';
import type { Attribute, Deprecation, EnumMember, PrimitiveType, Registry, Stability } from './model.js';
import { GO_IDENTIFIER, goNamer, goNames } from './naming.js';
import { readGoNaming } from './read-go-naming.js';
import { renderTemplates, type LanguageOutput, type RunInfo } from './render-output.js';
import { resolveCollisions, type NamedItem } from './resolve-collisions.js';
import { rootNamespace, selectGo, type AttributeEntry, type Selection } from './select.js';
import type { TemplateSet } from './template-set.js';
import { deprecationText, exampleText } from './ts-doc.js';

/** `attribute.Key` method and Go parameter type of each attribute type. */
const GO_TYPES: Record<Exclude<PrimitiveType, 'any'>, { method: string; param: string }> = {
  string: { method: 'String', param: 'string' },
  int: { method: 'Int', param: 'int' },
  double: { method: 'Float64', param: 'float64' },
  boolean: { method: 'Bool', param: 'bool' },
  'string[]': { method: 'StringSlice', param: '...string' },
  'int[]': { method: 'IntSlice', param: '...int' },
  'double[]': { method: 'Float64Slice', param: '...float64' },
  'boolean[]': { method: 'BoolSlice', param: '...bool' },
};

const ENUM_METHODS = { string: 'String', int: 'Int', double: 'Float64' } as const;

const STABILITY_TITLE: Record<Stability, string> = {
  stable: 'Stable',
  development: 'Development',
  alpha: 'Alpha',
  beta: 'Beta',
  release_candidate: 'Release Candidate',
};

const GO_KEYWORDS = new Set(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(' '),
);

/** Renders the Go package: keys, value helpers, enum values, `SchemaURL`. */
export function renderGo(
  registry: Registry,
  selection: Selection,
  templates: TemplateSet,
  run: RunInfo,
  packageName: string,
): LanguageOutput {
  if (!/^[a-z][a-z0-9_]*$/.test(packageName) || GO_KEYWORDS.has(packageName)) {
    throw new ConventionsOptionsError(`--package ${packageName}: not a Go package name (lower case letters, digits, _)`);
  }
  const namingFile = templates.data.get('naming.yaml');
  if (!namingFile) throw new TemplateError({ file: 'templates/conventions/go/naming.yaml', line: 1, message: 'missing naming.yaml' });
  const naming = readGoNaming(namingFile.file, namingFile.text);
  const names = goNames(goNamer(naming));

  const entries = selectGo(registry, selection, naming.excludedNamespaces);
  const { isDropped, problems, warnings } = checkNames(entries, names);
  if (problems.length > 0) throw new ModelInvalidError(problems);

  const namespaces = new Map<string, { name: string; hasKeys: boolean; keys: object[]; funcs: object[]; enums: object[] }>();
  let attributes = 0;
  let enumValues = 0;
  for (const { attribute, members } of entries) {
    if (isDropped(attribute)) continue;
    const name = rootNamespace(attribute.key);
    let namespace = namespaces.get(name);
    if (!namespace) {
      namespace = { name, hasKeys: false, keys: [], funcs: [], enums: [] };
      namespaces.set(name, namespace);
    }
    attributes++;
    const type = attribute.type;
    const keyName = names.key(attribute.key);
    const base = { key: attribute.key, keyLiteral: JSON.stringify(attribute.key), keyName };
    if (type.kind !== 'template') {
      namespace.keys.push({ ...base, name: keyName, first: namespace.keys.length === 0, doc: goComment(goDocText(keyDoc(attribute, keyName))) });
      namespace.hasKeys = true;
    }
    if (type.kind === 'enum') {
      const values = members
        .filter((m) => !isDropped(m))
        .map((member, index) => ({
          name: names.enumValue(attribute.key, member.id),
          keyName,
          method: ENUM_METHODS[type.valueType],
          literal: JSON.stringify(member.value),
          value: member.value,
          first: index === 0,
          doc: goComment(goDocText(memberDoc(member))),
        }));
      enumValues += values.length;
      if (values.length > 0) namespace.enums.push({ ...base, doc: goComment([`Enum values for ${attribute.key}`]), values });
    } else if (type.kind === 'template' || type.name !== 'any') {
      const goType = GO_TYPES[type.kind === 'template' ? type.of : (type.name as Exclude<PrimitiveType, 'any'>)];
      const name = names.func(attribute.key);
      namespace.funcs.push({
        ...base,
        name,
        isTemplate: type.kind === 'template',
        keyPrefixLiteral: JSON.stringify(`${attribute.key}.`),
        method: goType.method,
        valueType: goType.param,
        doc: goComment(goDocText(funcDoc(attribute, name))),
      });
    }
  }
  const data = { ...run, package: packageName, namespaces: [...namespaces.values()] };
  return { files: renderTemplates(templates, data), warnings, counts: { attributes, enumValues, metrics: 0, events: 0 } };
}

function deprecatedParagraph(deprecated: Deprecation | undefined): DocParagraph {
  return deprecated ? `Deprecated: ${deprecationText(deprecated)}` : '';
}

function keyDoc(attribute: Attribute, keyName: string): DocParagraph[] {
  const type = attribute.type;
  const typeText = type.kind === 'enum' ? 'Enum' : type.kind === 'template' ? `template[${type.of}]` : type.name;
  return [
    `${keyName} is the attribute Key conforming to the "${attribute.key}" semantic conventions. ${itRepresents(attribute.brief)}`,
    { lines: [`Type: ${typeText}`, 'RequirementLevel: Recommended', `Stability: ${STABILITY_TITLE[attribute.stability]}`] },
    attribute.examples.length > 0 ? `Examples: ${attribute.examples.map((e) => (typeof e === 'string' ? JSON.stringify(e) : exampleText(e))).join(', ')}` : '',
    attribute.note ? `Note: ${attribute.note}` : '',
    deprecatedParagraph(attribute.deprecated),
  ];
}

function funcDoc(attribute: Attribute, name: string): DocParagraph[] {
  return [
    `${name} returns an attribute KeyValue conforming to the "${attribute.key}" semantic conventions. ${itRepresents(attribute.brief)}`,
    deprecatedParagraph(attribute.deprecated),
  ];
}

function memberDoc(member: EnumMember): DocParagraph[] {
  return [member.brief || member.id, { lines: [`Stability: ${member.stability}`], attached: true }, deprecatedParagraph(member.deprecated)];
}

type Named = Attribute | EnumMember;

/** Every Go identifier of the package (keys, functions, enum values, `SchemaURL`) is unique. */
function checkNames(
  entries: AttributeEntry[],
  names: ReturnType<typeof goNames>,
): { isDropped(item: Named): boolean; problems: Problem[]; warnings: Problem[] } {
  const items = new Map<Named, NamedItem>();
  const problems: Problem[] = [];
  const all: NamedItem[] = [
    { names: ['SchemaURL'], label: 'the SchemaURL constant', deprecated: false, source: { file: 'templates/conventions/go/schema.go.tmpl', line: 1 } },
  ];
  const add = (item: Named, identifiers: string[], label: string, deprecated: boolean, parent?: NamedItem) => {
    for (const identifier of identifiers) {
      if (!GO_IDENTIFIER.test(identifier)) problems.push({ ...item.source, message: `${label}: '${identifier}' is not a valid Go identifier` });
    }
    const named: NamedItem = { names: identifiers, label, deprecated, source: item.source, parent };
    items.set(item, named);
    all.push(named);
    return named;
  };
  for (const { attribute, members } of entries) {
    const type = attribute.type;
    const identifiers = [
      ...(type.kind === 'template' ? [] : [names.key(attribute.key)]),
      ...(type.kind === 'enum' || (type.kind === 'primitive' && type.name === 'any') ? [] : [names.func(attribute.key)]),
    ];
    const label = `attribute '${attribute.key}'`;
    const parent = add(attribute, identifiers, label, attribute.deprecated !== undefined);
    for (const member of members) {
      add(member, [names.enumValue(attribute.key, member.id)], `enum member '${member.id}' of ${label}`, member.deprecated !== undefined || parent.deprecated, parent);
    }
  }
  const outcome = resolveCollisions(all);
  return {
    isDropped: (item) => outcome.isDropped(items.get(item)!),
    problems: [...problems, ...outcome.problems],
    warnings: outcome.warnings,
  };
}
