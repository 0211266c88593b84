/** @module Validates Reports against docs/report.schema.json with ajv (compiled once per process). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { REPO_ROOT } from './fixtures.js';

let validate: ValidateFunction | undefined;

/** The compiled schema validator. */
export function reportValidator(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'report.schema.json'), 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return validate;
}

/** Fail the test with ajv's messages when `report` does not match the schema. */
export function assertValidReport(report: unknown, label = 'report'): void {
  const v = reportValidator();
  // JSON round trip: the schema describes the serialised report, not in-memory objects.
  const ok = v(JSON.parse(JSON.stringify(report)));
  assert.ok(
    ok,
    `${label} does not match docs/report.schema.json: ${JSON.stringify(v.errors?.slice(0, 5), null, 1)}`,
  );
}
