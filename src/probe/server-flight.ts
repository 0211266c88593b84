/**
 * @module Reads what the server sent during one handshake from the raw bytes it sent: records, ServerHello,
 * Certificate, CertificateRequest, alerts — or recognises that the answer is not TLS at all.
 *
 * Node's `getPeerCertificate(true)` links issuers it finds in the local trust store, so it cannot tell
 * "the server sent the intermediate" from "the intermediate was completed locally". The bytes can.
 * TLS 1.2 and older send these messages in clear; TLS 1.3 encrypts them, so the parser decrypts the
 * session's own server records with the key-log secrets of that session (see `tls13-keys.ts`).
 *
 * Hostile input is expected (this is the network): every length is bounds-checked, counts are capped,
 * malformed data ends the parse with what was read so far.
 */
import { createRecordDecrypter, isDecryptableSuite, type RecordDecrypter } from './tls13-keys.js';
import type { NonTlsAnswer } from './types.js';

/** What the server's bytes showed. Raw forms (DER buffers); the caller describes them. */
export interface ServerFlight {
  /** Set when the first bytes are not a TLS record. */
  nonTls?: NonTlsAnswer;
  /** Negotiated version on the wire (0x0301 TLS 1.0 … 0x0304 TLS 1.3). */
  version?: number;
  cipherSuite?: number;
  /** The server asked for a new ClientHello first (TLS 1.3 HelloRetryRequest). */
  helloRetry?: boolean;
  /** DER certificates in the order the server sent them. */
  certificates?: Buffer[];
  /** Present when the server sent a CertificateRequest. */
  certificateRequest?: { caNames: Buffer[]; truncated: boolean };
  /** The server's handshake flight ended (ServerHelloDone in TLS ≤ 1.2, Finished in TLS 1.3). */
  flightComplete?: boolean;
  /** First alert the server sent (clear or decrypted), with where it came. */
  alert?: { level: number; code: number; afterHandshake: boolean };
  /** TLS 1.3: a NewSessionTicket arrived after the handshake. */
  ticket?: boolean;
  /** TLS 1.3: whether the encrypted part could be read. */
  encrypted?: 'read' | 'no-keys' | 'unsupported-suite' | 'auth-failed';
  /** The bytes ended in the middle of a record or message. */
  incomplete?: boolean;
  /** A handshake message's inner lengths did not fit its size (parsing stopped there). */
  malformed?: boolean;
}

const MAX_RECORD = 18432;
const MAX_CERTS = 32;
const MAX_CA_NAMES = 200;
const MAX_HANDSHAKE_BUFFER = 512 * 1024;

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPDATA = 23;

const HS_SERVER_HELLO = 2;
const HS_NEW_SESSION_TICKET = 4;
const HS_CERTIFICATE = 11;
const HS_CERTIFICATE_REQUEST = 13;
const HS_SERVER_HELLO_DONE = 14;
const HS_FINISHED = 20;

class Truncated extends Error {}

/** A bounds-checked cursor over one buffer. */
class Cursor {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  u8(): number {
    if (this.remaining < 1) throw new Truncated();
    return this.buf[this.pos++] ?? 0;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u24(): number {
    return (this.u8() << 16) | (this.u8() << 8) | this.u8();
  }
  bytes(n: number): Buffer {
    if (n < 0 || this.remaining < n) throw new Truncated();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  vec8(): Buffer {
    return this.bytes(this.u8());
  }
  vec16(): Buffer {
    return this.bytes(this.u16());
  }
  vec24(): Buffer {
    return this.bytes(this.u24());
  }
}

/** Classify bytes that are not a TLS record. */
export function classifyNonTls(bytes: Buffer): NonTlsAnswer {
  const head = bytes.subarray(0, 512).toString('latin1');
  const lineEnd = head.search(/[\r\n]/);
  const raw = lineEnd >= 0 ? head.slice(0, lineEnd) : head;
  const firstLine = raw.slice(0, 120).replace(/[^\x20-\x7e]/g, '.');
  const http = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(raw);
  if (http?.[1]) return { kind: 'http', firstLine, status: Number(http[1]) };
  if (raw.startsWith('SSH-')) return { kind: 'ssh', firstLine };
  if (/^\d{3}[ -]/.test(raw)) return { kind: 'smtp-ftp', firstLine };
  return { kind: 'other', firstLine };
}

/** True when `bytes` start like a TLS record (or are too short to tell). */
function looksLikeTls(bytes: Buffer): boolean {
  const type = bytes[0];
  if (type === undefined) return true;
  if (type < CT_CCS || type > CT_APPDATA) return false;
  const major = bytes[1];
  return major === undefined || major === 3;
}

/**
 * Parse the bytes a server sent in one connection. `secrets` are the key-log secrets of the same
 * session (needed only for TLS 1.3). Never throws on malformed input.
 */
export function readServerFlight(bytes: Buffer, secrets?: ReadonlyMap<string, Buffer>): ServerFlight {
  const flight: ServerFlight = {};
  if (!looksLikeTls(bytes)) {
    flight.nonTls = classifyNonTls(bytes);
    return flight;
  }
  const state = new FlightState(flight, secrets);
  let pos = 0;
  while (pos < bytes.length && !state.done) {
    if (bytes.length - pos < 5) {
      flight.incomplete = true;
      break;
    }
    const header = bytes.subarray(pos, pos + 5);
    const type = header[0] ?? 0;
    const length = ((header[3] ?? 0) << 8) | (header[4] ?? 0);
    if (type < CT_CCS || type > CT_APPDATA || header[1] !== 3 || length > MAX_RECORD) {
      // Garbage after valid records: stop with what was read.
      if (pos === 0) flight.nonTls = classifyNonTls(bytes);
      break;
    }
    if (bytes.length - pos - 5 < length) {
      flight.incomplete = true;
      break;
    }
    state.record(type, header, bytes.subarray(pos + 5, pos + 5 + length));
    pos += 5 + length;
  }
  if (state.pendingHandshake()) flight.incomplete = true;
  return flight;
}

/** Parser state across records. */
class FlightState {
  done = false;
  /** TLS ≤ 1.2: the server sent ChangeCipherSpec, later records are encrypted with keys we do not have. */
  private legacyEncrypted = false;
  private handshake = Buffer.alloc(0);
  private decrypter: RecordDecrypter | undefined;
  /** 'handshake' while reading the encrypted server flight, 'application' after Finished (TLS 1.3). */
  private phase: 'clear' | 'handshake' | 'application' = 'clear';

  constructor(
    private readonly flight: ServerFlight,
    private readonly secrets: ReadonlyMap<string, Buffer> | undefined,
  ) {}

  pendingHandshake(): boolean {
    return this.handshake.length > 0;
  }

  record(type: number, header: Buffer, body: Buffer): void {
    const tls13 = this.flight.version === 0x0304;
    if (type === CT_CCS) {
      if (!tls13) this.legacyEncrypted = true;
      return;
    }
    if (type === CT_ALERT) {
      if (!this.legacyEncrypted && this.phase === 'clear') this.noteAlert(body);
      return;
    }
    if (type === CT_HANDSHAKE && this.phase === 'clear' && !this.legacyEncrypted) {
      this.handshakeBytes(body);
      return;
    }
    if (type === CT_APPDATA && tls13) this.protectedRecord(header, body);
  }

  private noteAlert(body: Buffer, afterHandshake = false): void {
    if (this.flight.alert || body.length < 2) return;
    this.flight.alert = { level: body[0] ?? 0, code: body[1] ?? 0, afterHandshake };
  }

  private protectedRecord(header: Buffer, body: Buffer): void {
    if (!this.decrypter) {
      if (this.phase !== 'clear') return;
      const suite = this.flight.cipherSuite ?? 0;
      if (!isDecryptableSuite(suite)) {
        this.flight.encrypted = 'unsupported-suite';
        this.done = true;
        return;
      }
      const secret = this.secrets?.get('SERVER_HANDSHAKE_TRAFFIC_SECRET');
      if (!secret) {
        this.flight.encrypted = 'no-keys';
        this.done = true;
        return;
      }
      this.decrypter = createRecordDecrypter(suite, secret);
      this.phase = 'handshake';
    }
    const opened = this.decrypter?.open(header, body);
    if (!opened) {
      if (this.phase === 'handshake') this.flight.encrypted = 'auth-failed';
      this.done = true;
      return;
    }
    if (this.phase === 'handshake') this.flight.encrypted = 'read';
    if (opened.type === CT_ALERT) {
      this.noteAlert(opened.content, this.phase === 'application');
      this.done = true;
      return;
    }
    if (opened.type === CT_HANDSHAKE) {
      this.handshakeBytes(opened.content);
      return;
    }
    // Application data: the probe does not read the server's payload.
    this.done = true;
  }

  private handshakeBytes(chunk: Buffer): void {
    if (this.handshake.length + chunk.length > MAX_HANDSHAKE_BUFFER) {
      this.done = true;
      return;
    }
    this.handshake = this.handshake.length ? Buffer.concat([this.handshake, chunk]) : Buffer.from(chunk);
    while (this.handshake.length >= 4 && !this.done) {
      const type = this.handshake[0] ?? 0;
      const len =
        ((this.handshake[1] ?? 0) << 16) | ((this.handshake[2] ?? 0) << 8) | (this.handshake[3] ?? 0);
      if (this.handshake.length < 4 + len) return;
      const body = this.handshake.subarray(4, 4 + len);
      this.handshake = this.handshake.subarray(4 + len);
      try {
        this.message(type, body);
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        this.flight.malformed = true;
        this.done = true;
      }
    }
  }

  private message(type: number, body: Buffer): void {
    const f = this.flight;
    const tls13 = f.version === 0x0304;
    const c = new Cursor(body);
    switch (type) {
      case HS_SERVER_HELLO:
        this.serverHello(c);
        return;
      case HS_CERTIFICATE: {
        if (f.certificates) return;
        if (tls13) c.vec8();
        const list = new Cursor(c.vec24());
        const certs: Buffer[] = [];
        while (list.remaining > 0 && certs.length < MAX_CERTS) {
          certs.push(Buffer.from(list.vec24()));
          if (tls13) list.vec16();
        }
        f.certificates = certs;
        return;
      }
      case HS_CERTIFICATE_REQUEST:
        f.certificateRequest = tls13
          ? readCertificateRequest13(c)
          : readCertificateRequest12(c, f.version ?? 0);
        return;
      case HS_SERVER_HELLO_DONE:
        f.flightComplete = true;
        return;
      case HS_FINISHED:
        if (tls13 && this.phase === 'handshake') {
          f.flightComplete = true;
          this.enterApplicationPhase();
        }
        return;
      case HS_NEW_SESSION_TICKET:
        if (this.phase === 'application') f.ticket = true;
        return;
      default:
        return;
    }
  }

  private serverHello(c: Cursor): void {
    const f = this.flight;
    const legacyVersion = c.u16();
    const random = c.bytes(32);
    c.vec8();
    const suite = c.u16();
    c.u8();
    let version = legacyVersion;
    if (c.remaining >= 2) {
      const exts = new Cursor(c.vec16());
      while (exts.remaining >= 4) {
        const extType = exts.u16();
        const data = exts.vec16();
        if (extType === 43 && data.length === 2) version = data.readUInt16BE(0);
      }
    }
    if (random.equals(HRR_RANDOM)) {
      f.helloRetry = true;
      return;
    }
    f.version = version;
    f.cipherSuite = suite;
  }

  /** After the server's Finished, later records use the application traffic secret (tickets, alerts). */
  private enterApplicationPhase(): void {
    this.phase = 'application';
    const secret = this.secrets?.get('SERVER_TRAFFIC_SECRET_0');
    this.decrypter = secret ? createRecordDecrypter(this.flight.cipherSuite ?? 0, secret) : undefined;
    if (!this.decrypter) this.done = true;
  }
}

function readCaList(c: Cursor): { caNames: Buffer[]; truncated: boolean } {
  const names: Buffer[] = [];
  let truncated = false;
  while (c.remaining > 0) {
    const dn = c.vec16();
    if (names.length >= MAX_CA_NAMES) {
      truncated = true;
      break;
    }
    names.push(Buffer.from(dn));
  }
  return { caNames: names, truncated };
}

/** TLS 1.0–1.2 CertificateRequest: types, (1.2: signature algorithms), CA names. */
function readCertificateRequest12(c: Cursor, version: number): { caNames: Buffer[]; truncated: boolean } {
  c.vec8();
  if (version >= 0x0303) c.vec16();
  return readCaList(new Cursor(c.vec16()));
}

/** TLS 1.3 CertificateRequest: context, extensions; CA names in `certificate_authorities` (47). */
function readCertificateRequest13(c: Cursor): { caNames: Buffer[]; truncated: boolean } {
  c.vec8();
  const exts = new Cursor(c.vec16());
  while (exts.remaining >= 4) {
    const type = exts.u16();
    const data = exts.vec16();
    if (type === 47) return readCaList(new Cursor(new Cursor(data).vec16()));
  }
  return { caNames: [], truncated: false };
}

/** Wire version → Node's protocol name. */
export function nameWireVersion(version: number | undefined): string | undefined {
  switch (version) {
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv1';
    case 0x0302:
      return 'TLSv1.1';
    case 0x0303:
      return 'TLSv1.2';
    case 0x0304:
      return 'TLSv1.3';
    default:
      return undefined;
  }
}
