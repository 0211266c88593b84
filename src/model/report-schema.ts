/**
 * @module Checks JSON against docs/report.schema.json (the Report contract) at the boundaries: stored reports and saved evidence.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The JSON-Schema keywords docs/report.schema.json uses (draft-07 subset); others are ignored. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minLength?: number;
  minProperties?: number;
  minimum?: number;
  pattern?: string;
  definitions?: Record<string, Schema>;
}

let root: Schema | undefined;
const patterns = new Map<string, RegExp>();

/** The Report schema, read once from the docs/ folder shipped beside dist/ (or src/ in development). */
function reportSchema(): Schema {
  if (root) return root;
  for (const rel of [
    '../../docs/report.schema.json',
    '../docs/report.schema.json',
    '../../../docs/report.schema.json',
  ]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) {
      root = JSON.parse(readFileSync(path, 'utf8')) as Schema;
      return root;
    }
  }
  throw new Error('docs/report.schema.json is missing from this installation');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(actual: string, expected: string): boolean {
  return actual === expected || (expected === 'number' && actual === 'integer');
}

const MAX_ERRORS = 5;

function check(schema: Schema, value: unknown, path: string, errors: string[], depth: number): void {
  if (errors.length >= MAX_ERRORS) return;
  if (depth > 64) {
    errors.push(`${path || 'the document'} is nested too deeply`);
    return;
  }
  if (schema.$ref) {
    const name = /^#\/definitions\/([A-Za-z0-9_-]+)$/.exec(schema.$ref)?.[1];
    const target = name ? reportSchema().definitions?.[name] : undefined;
    if (target) check(target, value, path, errors, depth + 1);
    return;
  }
  const where = path || 'the document';
  const actual = typeOf(value);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(actual, t))) {
      errors.push(`${where} must be ${types.join(' or ')}, not ${actual}`);
      return;
    }
  }
  if (schema.const !== undefined && value !== schema.const) {
    errors.push(`${where} must be ${JSON.stringify(schema.const)}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    return;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${where} must not be empty`);
    if (schema.pattern) {
      let re = patterns.get(schema.pattern);
      if (!re) {
        re = new RegExp(schema.pattern, 'u');
        patterns.set(schema.pattern, re);
      }
      if (!re.test(value)) errors.push(`${where} is not in the expected form`);
    }
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    errors.push(`${where} must be at least ${schema.minimum}`);
  if (Array.isArray(value) && schema.items)
    for (let i = 0; i < value.length && errors.length < MAX_ERRORS; i++)
      check(schema.items, value[i], `${path}[${i}]`, errors, depth + 1);
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties)
      errors.push(`${where} must not be empty`);
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${where} lacks "${key}"`);
    for (const key of keys) {
      if (errors.length >= MAX_ERRORS) return;
      const sub = schema.properties?.[key];
      const child = path ? `${path}.${key}` : key;
      if (sub) check(sub, obj[key], child, errors, depth + 1);
      // Unknown fields are allowed: the contract lets fields be added, and a newer client may send them.
      else if (typeof schema.additionalProperties === 'object')
        check(schema.additionalProperties, obj[key], child, errors, depth + 1);
    }
  }
}

/**
 * Problems of `value` as a Report (docs/report.schema.json), at most five, in plain words; empty when it
 * matches. `definition` checks against one part of the schema instead (`input`, `event`, …); `label`
 * names the value in the messages (`input 2`).
 */
export function reportSchemaErrors(value: unknown, definition?: string, label = ''): string[] {
  const schema = reportSchema();
  const target = definition ? schema.definitions?.[definition] : schema;
  if (!target) throw new Error(`docs/report.schema.json has no definition "${definition}"`);
  const errors: string[] = [];
  check(target, value, label, errors, 0);
  return errors;
}
