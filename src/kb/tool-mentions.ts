/**
 * @module pse-doctor's own commands named in prose (`pse-doctor probe <host>:<port>`, "run pse-doctor analyze
 * dev_icm"), found so each surface can show them in its own terms: the terminal as written, the web app as a
 * link to the page of its own that does the same (Probe, Analyze, PSE, Explain), without command-line options.
 */

/** The commands the web app has a page for, and the page. */
const WEB_PAGES = {
  analyze: '/',
  cert: '/',
  probe: '/probe',
  pse: '/pse',
  explain: '/explain',
  landscape: '/landscape',
} as const;
const COMMANDS = new Set([...Object.keys(WEB_PAGES), 'verify', 'serve', 'mcp']);

/** Options that take a value (the next word). */
const VALUE_OPTIONS = new Set([
  '--trust',
  '--client-cert',
  '--client-key',
  '--out',
  '--pin-file',
  '--password-file',
  '--timeout',
  '--proxy',
  '--baseline',
  '--targets',
  '--db',
  '--export-trusted',
  '--host',
  '--save-evidence',
  '--allow',
  '--fail-on',
  '--sni',
]);

/** Punctuation that ends an unquoted command line. */
const TRAILING = '.,;:)"\'”';

/** One command named in a text: where it stands and what it says. */
export interface ToolMention {
  command: string;
  /** Words that are not options: `<host>:<port>`, `dev_icm`, `-`. */
  args: string[];
  /** Options with their values, as written: `['--trust', 'SAPSSLA.pse']`. */
  options: { name: string; value?: string }[];
  /** The text as written, with its quotes or backticks. */
  raw: string;
}

export type TextPiece = string | ToolMention;

/** A word that continues an unquoted command line: an option, a placeholder, a path or file name, a code. */
function argLike(word: string): boolean {
  if (word === '-' || word.startsWith('--') || word.startsWith('<')) return true;
  if (/[_./:<>$\\]/.test(word)) return true;
  return /^[A-Z0-9][A-Z0-9_]{2,}$/.test(word);
}

function parseWords(command: string, words: string[], raw: string): ToolMention {
  const m: ToolMention = { command, args: [], options: [], raw };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith('--')) {
      const [name, inline] = w.split('=', 2) as [string, string | undefined];
      if (inline !== undefined) m.options.push({ name, value: inline });
      else if (VALUE_OPTIONS.has(name) && i + 1 < words.length) m.options.push({ name, value: words[++i] });
      else m.options.push({ name });
    } else if (w) m.args.push(w);
  }
  return m;
}

/**
 * Splits `text` into plain pieces and the pse-doctor commands it names. A quoted or back-ticked command runs
 * to its closing mark; an unquoted one takes the words that look like arguments (options, placeholders,
 * paths, codes), so "run pse-doctor analyze dev_icm on the trace" stops before "on".
 */
export function splitToolMentions(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let from = 0;
  let at = text.indexOf('pse-doctor ');
  while (at >= 0) {
    const open = at > 0 ? text[at - 1] : '';
    const closer = open === '`' || open === '"' || open === '“' ? (open === '“' ? '”' : open) : undefined;
    const afterName = at + 'pse-doctor '.length;
    const command = /^[a-z]+/.exec(text.slice(afterName, afterName + 12))?.[0] ?? '';
    let mention: ToolMention | undefined;
    let start = at;
    let end = at;
    if (COMMANDS.has(command)) {
      if (closer) {
        const close = text.indexOf(closer, afterName);
        if (close > 0) {
          start = at - 1;
          end = close + 1;
          const words = text
            .slice(afterName + command.length, close)
            .trim()
            .split(/\s+/)
            .filter(Boolean);
          mention = parseWords(command, words, text.slice(start, end));
        }
      }
      if (!mention) {
        // Unquoted: take argument-like words; trailing punctuation ends the command.
        let pos = afterName + command.length;
        const words: string[] = [];
        const word = /\S+/y;
        while (text[pos] === ' ') {
          word.lastIndex = pos + 1;
          const w = word.exec(text)?.[0];
          if (!w) break;
          let cut = w.length;
          while (cut > 0 && TRAILING.includes(w[cut - 1] as string)) cut--;
          const core = w.slice(0, cut);
          if (!core || !argLike(core)) break;
          words.push(core);
          pos += 1 + core.length;
          if (cut < w.length) break;
        }
        start = at;
        end = pos;
        mention = parseWords(command, words, text.slice(start, end));
      }
    }
    if (mention) {
      if (start > from) pieces.push(text.slice(from, start));
      pieces.push(mention);
      from = end;
    }
    at = text.indexOf('pse-doctor ', Math.max(end, at + 1));
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces;
}

/** The web app's link for a command: label in its words, the page, and a value to pre-fill. */
export interface WebLink {
  label: string;
  href: string;
}

const concrete = (v: string | undefined): v is string => Boolean(v) && !/[<>…]/.test(v as string);

/** How the web app offers a command it has a page for; undefined for terminal-only commands (verify, mcp…). */
export function webLinkOf(m: ToolMention): WebLink | undefined {
  const page = WEB_PAGES[m.command as keyof typeof WEB_PAGES];
  if (!page) return undefined;
  const first = m.args[0];
  const files = m.args.join(', ');
  const option = (name: string) => m.options.find((o) => o.name === name);
  switch (m.command) {
    case 'probe': {
      const trust = option('--trust');
      const extra = [
        trust?.value ? ` with ${trust.value} as the trust list` : trust ? ' with a trust list' : '',
        option('--client-cert') ? ' with a client certificate' : '',
        option('--no-sni') ? ' without SNI' : '',
        option('--proxy') ? ' through the proxy' : '',
      ].join('');
      return {
        label: `Probe ${first ?? 'the server'}${extra}`,
        href: concrete(first) ? `/probe?target=${encodeURIComponent(first)}` : '/probe',
      };
    }
    case 'analyze':
    case 'cert':
      return {
        label: first === '-' ? 'Analyze the pasted text' : files ? `Analyze ${files}` : 'Analyze',
        href: '/',
      };
    case 'pse':
      return { label: files ? `Open ${files} on the PSE page` : 'Open the PSE page', href: '/pse' };
    case 'explain': {
      const q = m.args.join(' ').replace(/^"|"$/g, '');
      return {
        label: q ? `Explain ${q}` : 'Explain',
        href: concrete(q) ? `/explain/${encodeURIComponent(q)}` : '/explain',
      };
    }
    case 'landscape':
      return { label: 'the Landscape page', href: '/landscape' };
    default:
      return undefined;
  }
}

/** The text in the web's words: each command the web app has a page for replaced by its link label. */
export function webWords(text: string): string {
  return splitToolMentions(text)
    .map((p) => (typeof p === 'string' ? p : (webLinkOf(p)?.label ?? p.raw)))
    .join('');
}
