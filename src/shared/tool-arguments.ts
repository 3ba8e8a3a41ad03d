/**
 * A tool's arguments against its input schema, for a form a person fills in (Settings → Tools, "Try it"): a first
 * draft from the schema, and the problems a person can fix (not JSON, not an object, a required property missing, a
 * property of the wrong type or outside its enum). The server checks the rest.
 */
import type { JsonSchemaObject } from './tools';

type Schema = Record<string, unknown>;

export type ArgumentProblem =
  | { kind: 'notJson'; detail: string }
  | { kind: 'notObject' }
  | { kind: 'missing'; property: string }
  | { kind: 'wrongType'; property: string; expected: string }
  | { kind: 'notInEnum'; property: string; allowed: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function propertiesOf(schema: JsonSchemaObject): Record<string, Schema> {
  const properties = schema.properties;
  if (!isObject(properties)) return {};
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => isObject(value))) as Record<
    string,
    Schema
  >;
}

function requiredOf(schema: JsonSchemaObject): string[] {
  return Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : [];
}

function typesOf(schema: Schema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  return Array.isArray(schema.type)
    ? schema.type.filter((type): type is string => typeof type === 'string')
    : [];
}

/** A placeholder value of a property: its default, its first enum value, or an empty value of its type. */
function sampleOf(schema: Schema): unknown {
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (typesOf(schema)[0]) {
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    case 'null':
      return null;
    default:
      return '';
  }
}

/** The required properties with placeholder values, as indented JSON. */
export function draftArguments(schema: JsonSchemaObject): string {
  const properties = propertiesOf(schema);
  const draft: Record<string, unknown> = {};
  for (const name of requiredOf(schema)) draft[name] = sampleOf(properties[name] ?? {});
  return JSON.stringify(draft, null, 2);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

/** The arguments as an object, or the problems found, in the order a person would fix them. */
export function checkArguments(
  text: string,
  schema: JsonSchemaObject,
): { ok: true; value: Record<string, unknown> } | { ok: false; problems: ArgumentProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ kind: 'notJson', detail: error instanceof Error ? error.message : '' }],
    };
  }
  if (!isObject(value)) return { ok: false, problems: [{ kind: 'notObject' }] };
  const problems: ArgumentProblem[] = [];
  const properties = propertiesOf(schema);
  for (const name of requiredOf(schema)) {
    if (!(name in value)) problems.push({ kind: 'missing', property: name });
  }
  for (const [name, given] of Object.entries(value)) {
    const property = properties[name];
    if (!property) continue;
    const types = typesOf(property);
    if (types.length > 0 && !types.some((type) => hasType(given, type))) {
      problems.push({ kind: 'wrongType', property: name, expected: types.join(' | ') });
    } else if (
      Array.isArray(property.enum) &&
      !property.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(given))
    ) {
      problems.push({
        kind: 'notInEnum',
        property: name,
        allowed: property.enum.map((allowed) => JSON.stringify(allowed)).join(', '),
      });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
