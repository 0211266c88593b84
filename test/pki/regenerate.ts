/**
 * @module Writes the whole test PKI to a folder for inspection or manual runs:
 * `npx tsx test/pki/regenerate.ts [dir]` (default `test-artifacts/pki`, which git ignores).
 */
import { resolve } from 'node:path';
import { writePkiFixtures } from './index.js';

const dir = resolve(process.argv[2] ?? 'test-artifacts/pki');
const { files } = await writePkiFixtures(dir);
for (const name of Object.keys(files).sort()) process.stdout.write(`${name}\n`);
process.stdout.write(
  `\n${Object.keys(files).length} files in ${dir} (keys are test material: never commit them)\n`,
);
