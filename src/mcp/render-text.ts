/**
 * @module The short text an MCP tool returns beside the Report: each finding with what it rests on
 * (input and line, rule and citation, kb resources), so an assistant can quote it. Renders from the
 * Report and its grounding only; decides nothing.
 */
import type { Report } from '../model/report.js';
import type { ReportGrounding } from './grounding.js';

/** Longest evidence line quoted. */
const MAX_QUOTE = 200;
/** Steps shown per finding (the rest are in the Report). */
const MAX_STEPS = 4;

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_QUOTE ? `${one.slice(0, MAX_QUOTE - 1)}…` : one;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The text rendering of one tool answer. `heading` names the tool and what it read. */
export function renderGroundedText(report: Report, grounding: ReportGrounding, heading: string): string {
  const out: string[] = [];
  const inputs = report.inputs.map((i) => `${i.name} (${i.format}${i.lines ? `, ${i.lines} lines` : ''})`);
  out.push(
    `${heading}: ${plural(report.findings.length, 'finding')} from ${inputs.join(', ') || 'no input'}.`,
  );
  for (const input of report.inputs) for (const w of input.warnings) out.push(`Note on ${input.name}: ${w}`);
  report.findings.forEach((f, i) => {
    const g = grounding.findings[i];
    out.push('');
    out.push(`${i + 1}. [${f.severity}, ${f.confidence}] ${f.title}`);
    out.push(`   ${f.summary}`);
    if (f.pse?.basename || f.pse?.node)
      out.push(`   PSE: ${[f.pse.basename ?? f.pse.file, f.pse.node].filter(Boolean).join(' — ')}`);
    if (f.import) {
      const into = f.import.into.map((t) => [t.file, t.node, t.store].filter(Boolean).join(' / ')).join('; ');
      out.push(`   Import: ${f.import.subject} (${f.import.kind})${into ? ` into ${into}` : ''}`);
    }
    for (const p of f.parameters ?? []) out.push(`   Parameter: ${p.name} = ${p.value}`);
    if (g) {
      out.push(`   Rule: ${g.rule} — cites ${g.citation}`);
      for (const e of g.evidence.slice(0, 3))
        out.push(`   Evidence: ${e.input} line ${e.line}: "${quote(e.text)}"`);
      if (g.evidence.length > 3)
        out.push(`   (${plural(g.evidence.length - 3, 'more evidence line')} in the Report)`);
      if (g.evidence.length === 0)
        out.push('   Evidence: no line of the input (judged from the files as a whole)');
      if (g.kb.length) out.push(`   Knowledge base: ${g.kb.join(', ')}`);
      if (g.hypothesis) {
        out.push(`   This is a hypothesis (${f.confidence}), not proven by the evidence.`);
        if (g.distinguish) out.push(`   What tells it apart: ${g.distinguish}`);
        for (const c of g.collect) out.push(`   Collect: ${c}`);
      }
    }
    f.steps.slice(0, MAX_STEPS).forEach((s, n) => {
      out.push(`   Step ${n + 1}: ${s}`);
    });
    if (f.steps.length > MAX_STEPS)
      out.push(`   (${plural(f.steps.length - MAX_STEPS, 'more step')} in the Report)`);
  });
  if (report.ruleErrors?.length)
    for (const e of report.ruleErrors) out.push(`(rule ${e.rule} could not run: ${e.message})`);
  if (grounding.thin) {
    out.push('');
    out.push(
      report.findings.length === 0
        ? 'No failure was found in this evidence. To diagnose, collect:'
        : 'The evidence is thin: no finding is certain, these are ranked hypotheses. To decide, collect:',
    );
    for (const c of grounding.collectNext) out.push(`- ${c}`);
  }
  out.push('');
  out.push('The full Report is the structured content (schema: docs/report.schema.json).');
  return out.join('\n');
}
