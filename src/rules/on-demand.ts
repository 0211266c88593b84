/**
 * @module The rules an Evidence can set off, loaded on demand: a short command (`analyze -` on one
 * pasted line) loads the rules of the evidence kinds it has, not the PSE, probe and landscape rules.
 *
 * A rule applies only when one of its `needs` kinds is present (src/engine/run-rules.ts), so running the
 * rules picked here gives the same findings as running every registered rule. The build derives the
 * rule index from the registry (scripts/build-steps/25-rule-index.mjs): every rule's id and needs, in
 * registry order, in dist/rules/rule-index.json, and one module per group of rules
 * (dist/rules/groups/<group>.js; a rule's group is the first kind it needs), which the bundle makes one
 * chunk each. A test checks that the built index and groups hold every registered rule. Without the
 * index (tests run from src/) every rule is loaded, as before. The fallback rules are asked for apart,
 * once the others ran: only when some event is left for them (src/engine/settled.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Evidence, EvidenceKind } from '../model/evidence.js';
import type { Rule } from './define.js';

/** One registered rule as the index knows it: id, the kinds that make it apply, and its group. */
export interface RuleIndexEntry {
  id: string;
  needs: readonly EvidenceKind[];
  group: string;
  /** A fallback rule (runs after the others, on the events they left unsettled). */
  fallback?: true;
}

/** Which rules `rulesFor` returns: all, or only the ordinary or only the fallback ones. */
export type RulePart = 'all' | 'ordinary' | 'fallback';

/** Loads the rules of one group. */
export type GroupLoader = (group: string) => Promise<readonly Rule[]>;

/** Where the build writes the index, relative to this module (dist/rules/rule-index.json). */
export const RULE_INDEX_FILE = fileURLToPath(new URL('./rule-index.json', import.meta.url));

/** The group a rule is loaded with: the first evidence kind it needs. */
export function groupOf(rule: Pick<Rule, 'needs'>): string {
  return rule.needs[0] ?? 'none';
}

/** The index of a rule list (what the build writes for the registry). */
export function ruleIndexOf(rules: readonly Rule[]): RuleIndexEntry[] {
  return rules.map((r) => ({
    id: r.id,
    needs: [...r.needs],
    group: groupOf(r),
    ...(r.fallback ? { fallback: true as const } : {}),
  }));
}

let builtIndex: RuleIndexEntry[] | null | undefined;

/** The index the build wrote, or null when there is none (not built: every rule is loaded). */
function readBuiltIndex(): RuleIndexEntry[] | null {
  if (builtIndex !== undefined) return builtIndex;
  try {
    builtIndex = JSON.parse(readFileSync(RULE_INDEX_FILE, 'utf8')) as RuleIndexEntry[];
  } catch {
    builtIndex = null;
  }
  return builtIndex;
}

/** The built module of a group: its rules, as the default export. */
const loadBuiltGroup: GroupLoader = async (group) =>
  ((await import(`./groups/${group}.js`)) as { default: readonly Rule[] }).default;

/** The evidence kinds present in an Evidence. */
export function kindsOf(evidence: Pick<Evidence, 'events'>): Set<EvidenceKind> {
  return new Set(evidence.events.map((e) => e.kind));
}

/**
 * The registered rules that can apply to evidence of these kinds, in registry order, loading only their
 * groups (every rule when no index was built); `part` keeps only the ordinary or only the fallback
 * rules. `index` and `load` are for tests; the defaults are the built ones.
 */
export async function rulesFor(
  kinds: ReadonlySet<EvidenceKind>,
  part: RulePart = 'all',
  index: readonly RuleIndexEntry[] | null = readBuiltIndex(),
  load: GroupLoader = loadBuiltGroup,
): Promise<readonly Rule[]> {
  // Rules of failure evidence judge probe events through probe-outcomes.ts; the judgement's code is
  // loaded only for evidence that holds a probe (it registers itself there).
  if (kinds.has('probe')) await import('./probe-judgement/judge-probe.js');
  const inPart = (fallback: boolean | undefined): boolean =>
    part === 'all' || (part === 'fallback') === (fallback === true);
  if (!index) return (await import('./index.js')).RULES.filter((r) => inPart(r.fallback));
  const wanted = index.filter(
    (entry) => inPart(entry.fallback) && entry.needs.some((kind) => kinds.has(kind)),
  );
  const groups = [...new Set(wanted.map((entry) => entry.group))];
  const byId = new Map<string, Rule>();
  for (const rules of await Promise.all(groups.map(load))) for (const r of rules) byId.set(r.id, r);
  return wanted.map((entry) => {
    const rule = byId.get(entry.id);
    if (!rule) throw new Error(`rule ${entry.id} is missing from its group ${entry.group}`);
    return rule;
  });
}
