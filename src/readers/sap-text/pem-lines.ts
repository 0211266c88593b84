/**
 * @module PEM certificate blocks pasted into text (an error report with the server certificate beside
 * it, `openssl s_client -showcerts` output, curl output with the chain below it), collected line by line
 * without parsing: the text path never loads the X.509 stack. `pasted-certificates.ts` parses what was
 * collected, and only when a block was found. Hostile input stays bounded: a block longer than any
 * certificate, more blocks than any chain, or a block cut before its END line is kept as a note.
 */

/** One collected block: its BEGIN line and the armoured text (BEGIN, base64 lines, END). */
export interface PastedPem {
  line: number;
  endLine: number;
  text: string;
}

/** Blocks kept per input (a chain is a handful; a pasted bundle is not evidence of one connection). */
const MAX_BLOCKS = 12;
/** Base64 lines of one block: a certificate of 16 KiB is far beyond any real one. */
const MAX_BLOCK_LINES = 400;
/** Characters of one base64 line (PEM writes 64; some tools 76 or one long line). */
const MAX_LINE_CHARS = 16 * 1024;

const BEGIN = /^-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----$/;
const END = /^-----END (?:X509 |TRUSTED )?CERTIFICATE-----$/;
const BASE64 = /^[A-Za-z0-9+/]{1,16384}={0,2}$/;

/** Collects the PEM certificate blocks of one input and the notes about the ones it could not keep. */
export class PemLines {
  readonly blocks: PastedPem[] = [];
  readonly notes: string[] = [];
  private open: { line: number; body: string[]; chars: number } | undefined;
  private skipped = 0;

  /** Look at one line (trimmed of indentation; a quote or list marker before a PEM line is not read). */
  see(no: number, text: string): void {
    if (!this.open && !text.includes('-----BEGIN')) return;
    const t = text.trim();
    if (!this.open) {
      if (BEGIN.test(t)) this.open = { line: no, body: [], chars: 0 };
      return;
    }
    const o = this.open;
    if (END.test(t)) {
      this.open = undefined;
      this.keep(o, no);
      return;
    }
    if (t.length <= MAX_LINE_CHARS && BASE64.test(t) && o.body.length < MAX_BLOCK_LINES) {
      o.body.push(t);
      o.chars += t.length;
      return;
    }
    this.open = undefined;
    if (BEGIN.test(t)) {
      this.note(o.line, 'has no END line (the paste is cut); it was not read');
      this.open = { line: no, body: [], chars: 0 };
    } else if (o.body.length >= MAX_BLOCK_LINES) {
      this.note(o.line, `is longer than any certificate (over ${MAX_BLOCK_LINES} lines); it was not read`);
    } else {
      this.note(
        o.line,
        `is cut or elided at line ${no} (a line that is not base64 inside the block); it was not read`,
      );
    }
  }

  /** End of input: a block still open was cut. */
  finish(): void {
    if (this.open) this.note(this.open.line, 'has no END line (the paste is cut); it was not read');
    this.open = undefined;
    if (this.skipped > 0)
      this.notes.push(
        `${this.skipped} further PEM certificate block(s) were not read (only the first ${MAX_BLOCKS} are)`,
      );
  }

  private keep(o: { line: number; body: string[] }, end: number): void {
    if (o.body.length === 0) {
      this.note(o.line, 'is empty; it was not read');
      return;
    }
    if (this.blocks.length >= MAX_BLOCKS) {
      this.skipped++;
      return;
    }
    this.blocks.push({
      line: o.line,
      endLine: end,
      text: ['-----BEGIN CERTIFICATE-----', ...o.body, '-----END CERTIFICATE-----', ''].join('\n'),
    });
  }

  private note(line: number, what: string): void {
    if (this.notes.length < MAX_BLOCKS) this.notes.push(`The PEM certificate block at line ${line} ${what}.`);
  }
}
