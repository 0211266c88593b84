/**
 * @module What `landscape --out <dir>` writes: every certificate the plan imports as a PEM file (once), one
 * sapgenpse script per system (`import-<SID>.sh`, importing each file into every PSE of that system that
 * lacks it) and README.txt — the files and scripts of `analyze --out`, per system.
 */
import { createHash } from 'node:crypto';
import type { ImportPlan, Report } from '../model/report.js';
import { importScript, type PlannedFile, readme, shComment } from './import-artifacts.js';
import { type OutFile, safeFileName } from './write-out.js';

export interface LandscapeOut {
  /** Every certificate once (for README.txt), with the findings (1-based) that need it. */
  files: PlannedFile[];
  /** `import-<SID>.sh` per system that has something to import. */
  scripts: { system: string; name: string; instances: string[] }[];
  out: OutFile[];
}

/** The files `landscape --out` writes for `report` (none when no plan item hands over a certificate). */
export function landscapeOutFiles(report: Report): LandscapeOut {
  const plan = report.landscape?.plan ?? [];
  const keyOf = (p: ImportPlan & { pem: string }) =>
    p.sha256 ?? createHash('sha256').update(p.pem).digest('hex');
  const used = new Set(['readme.txt']);
  const all = new Map<string, PlannedFile>();
  /** System → certificate → the file with the commands of every PSE of that system that needs it. */
  const bySystem = new Map<string, { files: Map<string, PlannedFile>; instances: Set<string> }>();
  for (const item of plan) {
    for (const p of item.imports ?? (item.import ? [item.import] : [])) {
      if (!p.pem) continue;
      const plan = p as ImportPlan & { pem: string };
      const key = keyOf(plan);
      let file = all.get(key);
      if (!file) {
        const base = safeFileName(plan.fileName ?? 'certificate.crt');
        let name = base;
        for (let n = 2; used.has(name.toLowerCase()); n++)
          name = base.replace(/(\.[A-Za-z0-9]+)?$/, `_${n}$1`);
        used.add(name.toLowerCase());
        file = { name, content: plan.pem, plan, findings: [] };
        all.set(key, file);
      }
      if (!file.findings.includes(item.finding + 1)) file.findings.push(item.finding + 1);
      else continue;
      // README.txt names every PSE the file goes into, across systems.
      const into = [...file.plan.into];
      for (const t of plan.into)
        if (!into.some((u) => u.node === t.node && u.file === t.file && u.store === t.store)) into.push(t);
      file.plan = { ...file.plan, into, commands: [...new Set([...file.plan.commands, ...plan.commands])] };
      const system = item.system ?? 'unknown';
      const sys = bySystem.get(system) ?? { files: new Map(), instances: new Set<string>() };
      bySystem.set(system, sys);
      for (const i of item.instances ?? []) sys.instances.add(i);
      const mine = sys.files.get(key);
      if (!mine) sys.files.set(key, { ...file, plan: { ...plan }, findings: [item.finding + 1] });
      else {
        mine.plan = { ...mine.plan, commands: [...new Set([...mine.plan.commands, ...plan.commands])] };
        if (!mine.findings.includes(item.finding + 1)) mine.findings.push(item.finding + 1);
      }
    }
  }
  const files = [...all.values()];
  if (files.length === 0) return { files, scripts: [], out: [] };
  const out: OutFile[] = files.map((f) => ({ name: f.name, content: f.content }));
  const scripts: LandscapeOut['scripts'] = [];
  for (const [system, { files: mine, instances }] of [...bySystem.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const name = safeFileName(`import-${system}.sh`, 'import-system.sh');
    const where = [...instances].sort();
    const lines = importScript([...mine.values()], report).split('\n');
    // Which system the script is for, right under the shebang.
    lines.splice(
      1,
      0,
      shComment(
        `System ${system}: run on each of its application servers${where.length ? ` (${where.join(', ')})` : ''}.`,
      ),
    );
    out.push({ name, content: lines.join('\n'), mode: 0o755 });
    scripts.push({ system, name, instances: where });
  }
  const scriptNote = [
    'Scripts (one per system; each imports the files into every PSE of that system that lacks them):',
    ...scripts.map(
      (s) => `  ${s.name}: ${s.system}${s.instances.length ? `, instances ${s.instances.join(', ')}` : ''}`,
    ),
    'Review a script before running it.',
  ].join('\n');
  out.push({
    name: 'README.txt',
    content: readme(files, report).replace(
      'import.sh runs the sapgenpse commands; review it first.',
      scriptNote,
    ),
  });
  return { files, scripts, out };
}
