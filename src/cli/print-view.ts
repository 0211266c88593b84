/**
 * @module How every command prints its Report: one choice of format (`--json`, `--format text|json|html`)
 * and one renderer per format — text (sections, colour on a terminal), HTML (one page), JSON (the Report).
 * The HTML renderer is loaded only when HTML is asked for (a short command does not load its code).
 */
import { Option } from 'commander';
import { renderJson } from '../report/json.js';
import type { ReportView } from '../report/sections/section-types.js';
import { renderTextView, type TerminalOptions } from '../report/terminal.js';
import type { CliIo } from './io.js';

export type OutputFormat = 'text' | 'json' | 'html';

/** The `--format` option every command shares (beside `--json`). */
export function formatOption(): Option {
  return new Option(
    '--format <format>',
    'output: text (default), json (the Report) or html (one page)',
  ).choices(['text', 'json', 'html']);
}

/** `--no-color`, as `analyze` has it: no colours in text output even on a terminal. */
export function noColorOption(): Option {
  return new Option(
    '--no-color',
    'no colours in text output (default: colour on a terminal, unless NO_COLOR is set)',
  );
}

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
