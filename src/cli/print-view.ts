/**
 * @module How every command prints its Report: one choice of format (`--json`, `--format text|json|html`)
 * and one renderer per format — text (sections, colour on a terminal), HTML (one page), JSON (the Report).
 * The HTML renderer is loaded only when HTML is asked for (a short command does not load its code).
 */
import { renderJson } from '../report/json.js';
import type { ReportView } from '../report/sections/section-types.js';
import { renderTextView, type TerminalOptions } from '../report/terminal.js';
import type { CliIo } from './io.js';

export type OutputFormat = 'text' | 'json' | 'html';

/** The format asked for: `--json` wins, then `--format`, else text. */
export function outputFormat(opts: { json?: boolean; format?: string }): OutputFormat {
  if (opts.json) return 'json';
  return opts.format === 'json' || opts.format === 'html' ? opts.format : 'text';
}

/** Colour in text output: on a terminal, unless `--no-color` or NO_COLOR says otherwise. */
export function useColor(io: CliIo, noColor?: boolean): boolean {
  return !noColor && io.isTTY && !io.env.NO_COLOR;
}

/** Print a command's Report and sections in the format asked for. */
export async function printView(
  io: CliIo,
  view: ReportView,
  format: OutputFormat,
  text: Omit<TerminalOptions, 'color'> & { color?: boolean } = {},
): Promise<void> {
  if (format === 'json') io.stdout.write(renderJson(view.report));
  else if (format === 'html') {
    const { renderHtml } = await import('../report/html.js');
    io.stdout.write(renderHtml(view.report, view.sections));
  } else io.stdout.write(renderTextView(view, { ...text, color: text.color ?? useColor(io) }));
}
