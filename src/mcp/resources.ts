/**
 * @module The MCP resources: every knowledge-base entry as `kb://ID` (its Markdown source) and the rules
 * list as `pse-doctor://rules` (id, causes, evidence needed, kb entries, citation), so a client can cite them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getEntry, listEntries, renderEntryText } from '../kb/index.js';
import { ToolError } from '../model/errors.js';
import { RULES } from '../rules/index.js';
import { kbUri, ruleCitation } from './grounding.js';

export const RULES_URI = 'pse-doctor://rules';

/** The package root (holds kb/ and docs/), from src/mcp or dist/mcp alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ResourceListing {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

/** Every resource: the rules list first, then each kb entry by kind and id. */
export function listResources(): ResourceListing[] {
  return [
    {
      uri: RULES_URI,
      name: 'rules',
      title: 'pse-doctor rules',
      description:
        'Every diagnosis rule: id, cause tags, the evidence it needs, the kb entries it cites, its citation.',
      mimeType: 'application/json',
    },
    ...listEntries().map((e) => ({
      uri: kbUri(e.id),
      name: e.id,
      title: e.title,
      description: `${e.kind}: ${e.title}${e.notes.length ? ` (SAP Note ${e.notes.join(', ')})` : ''}`,
      mimeType: 'text/markdown',
    })),
  ];
}

/** The rules list as JSON. */
export function rulesDocument(): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    causes: r.causes,
    needs: r.needs,
    kb: r.kb.map(kbUri),
    citation: ruleCitation(r.id),
  }));
  return `${JSON.stringify({ count: rules.length, rules }, null, 2)}\n`;
}

/** Read one resource by URI. Unknown URIs are a ToolError with a clear sentence. */
export function readResource(uri: string): { uri: string; mimeType: string; text: string } {
  if (uri === RULES_URI) return { uri, mimeType: 'application/json', text: rulesDocument() };
  const m = /^kb:\/\/([^/?#]{1,200})$/.exec(uri);
  if (!m) throw new ToolError('usage', { message: `No resource ${uri}: use kb://<id> or ${RULES_URI}.` });
  let id: string;
  try {
    id = decodeURIComponent(m[1] as string);
  } catch {
    throw new ToolError('usage', { message: `No resource ${uri}: the id is not valid URI text.` });
  }
  const entry = getEntry(id);
  if (!entry) throw new ToolError('unknown-kb-id', { query: id });
  let text: string;
  try {
    text = readFileSync(`${PACKAGE_ROOT}${entry.file}`, 'utf8');
  } catch {
    text = renderEntryText(entry, { color: false, width: 100 }); // the source is not shipped: the same entry, rendered
  }
  return { uri: kbUri(entry.id), mimeType: 'text/markdown', text };
}
