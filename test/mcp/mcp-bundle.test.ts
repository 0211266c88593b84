/**
 * @module The MCP SDK stays off every other command's start-up path: in the bundle bin/pse-doctor.js runs,
 * no module that the CLI entry or another command's chunk imports statically contains the SDK.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/fixtures.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'bundle');

function bundleOrSkip(): { skip: string | false } {
  if (existsSync(join(BUNDLE, 'cli.js'))) return { skip: false };
  if (process.env.CI === 'true') throw new Error('dist/bundle is required under CI but missing');
  return { skip: 'dist/bundle missing: run `npm run build` (bundle check skipped)' };
}

/**
 * Files a chunk requires when it loads (`require("./x.cjs")`, not the `…then(()=>require("./x.cjs"))` of
 * an `import()` turned CommonJS), transitively.
 */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(BUNDLE, file), 'utf8');
    for (const m of text.matchAll(/(?<!=>)\brequire\("\.\/([^"]+\.cjs)"\)/g)) visit(m[1] as string);
  };
  visit(entry);
  return seen;
}

/** Does a bundle file hold the MCP SDK (its server transport or protocol error class)? */
function holdsSdk(file: string): boolean {
  const text = readFileSync(join(BUNDLE, file), 'utf8');
  return text.includes('StdioServerTransport') || text.includes('ReadBuffer exceeded maximum size');
}

test('the SDK is in the bundle, but only the mcp command reaches it', bundleOrSkip(), () => {
  const files = readdirSync(BUNDLE).filter((f) => f.endsWith('.cjs'));
  const sdkFiles = files.filter(holdsSdk);
  assert.ok(sdkFiles.length > 0, 'the bundle contains the SDK (else this check checks nothing)');
  const entry = files.find((f) => f.startsWith('cli-'));
  assert.ok(entry, 'the entry chunk');
  const startUp = staticClosure(entry);
  assert.ok(startUp.size > 1, 'the closure follows the requires of the entry chunk');
  assert.deepEqual([...startUp].filter(holdsSdk), [], 'the CLI entry does not load the SDK');
  const commands = ['analyze', 'explain', 'verify', 'probe', 'cert', 'pse', 'serve'];
  for (const name of commands) {
    const chunk = files.find((f) => f.startsWith(`${name}-`));
    assert.ok(chunk, `a chunk for ${name}`);
    assert.deepEqual([...staticClosure(chunk)].filter(holdsSdk), [], `${name} does not load the SDK`);
  }
  const mcpChunk = files.find((f) => f.startsWith('mcp-'));
  assert.ok(mcpChunk);
  const mcpText = readFileSync(join(BUNDLE, mcpChunk), 'utf8');
  assert.ok(
    sdkFiles.some((f) => mcpText.includes(`"./${f}"`)),
    'the mcp command imports the SDK chunk (dynamically, when it runs)',
  );
});
