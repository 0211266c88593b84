/**
 * Audit of the knowledge base's ranked hypotheses: every entry `analyze` turns into findings (a failure
 * entry with `printed:` phrases or `patterns:`) with the number of ranked `hypotheses:` it carries, and
 * whether an entry with fewer than two says `singleCause:`. The rule itself is enforced by
 * src/kb/hypothesis-coverage.test.ts. Run: `npx tsx scripts/kb-hypotheses-audit.ts [--thin] [kb-dir]`
 * (`--thin`: only the entries with at most one hypothesis; `kb-dir`: another kb/ folder, e.g. an old one).
 */
import { rankingGaps, yieldsFindings } from '../src/kb/hypothesis-coverage.js';
import { readKbDirectory } from '../src/kb/read-kb-directory.js';

const args = process.argv.slice(2);
const thinOnly = args.includes('--thin');
const dir = args.find((a) => !a.startsWith('--'));
const all = dir ? readKbDirectory(dir) : readKbDirectory();
const rows = all
  .filter(yieldsFindings)
  .map((e) => ({
    id: e.id,
    kind: e.kind,
    stacks: e.stacks.join(','),
    hypotheses: e.hypotheses.length,
    single: e.singleCause !== undefined,
  }))
  .sort((a, b) => a.hypotheses - b.hypotheses || a.id.localeCompare(b.id));
const thin = rows.filter((r) => r.hypotheses <= 1);
for (const r of thinOnly ? thin : rows) {
  const mark = r.hypotheses >= 2 ? '' : r.single ? '  single-cause' : '  THIN';
  console.log(`${String(r.hypotheses).padStart(2)}  ${r.id} (${r.kind}; ${r.stacks || 'by family'})${mark}`);
}
const byCount = new Map<number, number>();
for (const r of rows) byCount.set(r.hypotheses, (byCount.get(r.hypotheses) ?? 0) + 1);
const counts = [...byCount].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n}: ${c}`);
console.log(`\n${rows.length} entries yield findings; by number of hypotheses: ${counts.join(', ')}`);
console.log(
  `${thin.length} with at most one hypothesis: ${thin.filter((r) => r.single).length} marked singleCause, ${rankingGaps(all).length} breaking the rule`,
);
