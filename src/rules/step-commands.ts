/**
 * @module The command lines a step quotes (`"sapgenpse maintain_pk -l -p SAPSSLC.pse"`, keytool, openssl…), as the
 * step's `command` action: the web offers each with a copy button; the terminal's text already holds them.
 */
import type { Step } from '../model/report.js';

/** Tools whose command lines steps quote for the user to run on a host. */
const TOOL = /^(sapgenpse|keytool|openssl|getent|nslookup|setspn|certutil|sapcli|kinit|klist) \S/;

/** The command lines quoted in a step: `"tool …"` pieces, or a bare `: tool …` that ends the step. */
export function quotedCommands(text: string): string[] {
  const out: string[] = [];
  let at = text.indexOf('"');
  while (at >= 0) {
    const close = text.indexOf('"', at + 1);
    if (close < 0) break;
    const inner = text.slice(at + 1, close);
    // An escaped quote inside ("\"<DN>\"") would cut the command: such a step keeps its words only.
    if (TOOL.test(inner) && !inner.endsWith('\\')) out.push(inner);
    at = text.indexOf('"', close + 1);
  }
  if (out.length === 0) {
    const colon = text.lastIndexOf(': ');
    const tail = colon >= 0 ? text.slice(colon + 2).replace(/\.$/, '') : '';
    if (TOOL.test(tail) && !tail.includes('"')) out.push(tail);
  }
  return out;
}

/** The step with its quoted commands as a `command` action, when it hands over nothing else. */
export function withCommandAction(step: Step): Step {
  if (step.action) return step;
  const commands = quotedCommands(step.text);
  if (commands.length === 0) return step;
  const [command, ...after] = commands as [string, ...string[]];
  return { ...step, action: { kind: 'command', command, ...(after.length ? { after } : {}) } };
}
