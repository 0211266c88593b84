/** @module The reader interface: one input (bytes or a stream of lines) → typed evidence with provenance. */
import type { EvidenceEvent, InputSummary } from '../model/evidence.js';

/** Secrets a reader may ask for (PSE PIN, PKCS#12 password). Never logged, stored or echoed. */
export interface SecretProvider {
  /** Returns the PIN/password for the named input, or undefined when none was given. */
  get(kind: 'pin' | 'password', inputName: string): Promise<string | undefined>;
}

/** One input as the user gave it: a file, a folder entry, standard input or an upload. */
export interface InputSource {
  /** Display name (file name as given, `-` / `stdin`, upload name). */
  name: string;
  /** Absolute path when it is a file on disk. */
  path?: string;
  /** Size in bytes when known up front. */
  size?: number;
  /**
   * Streams the raw bytes (gzip is undone by the caller before sniffing). A file or in-memory bytes may
   * be streamed more than once (a file through the one handle it was opened with); a one-shot stream once.
   */
  stream(): AsyncIterable<Buffer>;
  /**
   * Optional: the same bytes in a few buffers that are reused, so a multi-GB input allocates (and the
   * garbage collector sees) almost nothing. A chunk stays valid until the chunk after the next one is
   * requested; a reader that keeps chunks longer must use `stream()`.
   */
  streamReusing?(): AsyncIterable<Buffer>;
  /** Optional: release what the source holds open (a file handle); called once the input is read. */
  close?(): Promise<void>;
}

export interface ReadContext {
  /** Index of this input in the Report's `inputs`. */
  input: number;
  secrets?: SecretProvider;
  /** Clock for expiry judgements (tests pin it). */
  now?: Date;
  /**
   * The user named this input and wants it opened: a PSE that the PIN given does not open is a
   * ToolError (`wrong-pin`) instead of a pse-problem event. Unset for folder members.
   */
  rejectWrongPin?: boolean;
}

export interface ReaderOutput {
  summary: InputSummary;
  events: EvidenceEvent[];
  /** Text of the lines events point at, keyed `${input}:${line}` (only those, not the whole input). */
  lines: Record<string, string>;
}

/** A reader: sniff decides whether it fits; read extracts evidence. Readers are pure functions of their bytes. */
export interface Reader {
  /** Format id, shown in `Report.inputs[].format` (`icm-trace`, `abap-message`, `pem`, `pse`, …). */
  id: string;
  /**
   * How well this reader fits, 0 (not at all) … 1 (certain), from the first bytes (up to 64 KiB) and the
   * name. Content first, name second.
   */
  sniff(head: Buffer, name: string): number;
  /**
   * The highest score `sniff` ever returns (1 when unset). Detection skips this reader once a reader
   * before it in the registry scored at least this much: it could only tie, and ties go to the earlier one.
   */
  maxScore?: number;
  read(source: InputSource, ctx: ReadContext): Promise<ReaderOutput>;
}
