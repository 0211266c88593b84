/** @module JSON rendering of a Report: the contract itself, pretty-printed, one object. */
import type { Report } from '../model/report.js';

/** The Report as JSON text (2-space indent, trailing newline). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
