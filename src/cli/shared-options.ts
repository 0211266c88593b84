/**
 * @module The commander options several commands share (`--format`, `--no-color`). Apart from
 * print-view.ts, which every command prints through: `analyze` with plain arguments runs without
 * commander (src/cli/main.ts), so the printing path must not import it.
 */
import { Option } from 'commander';

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
