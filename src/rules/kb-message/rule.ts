/**
 * @module Messages any stack prints (Java, Node, .NET, Go, Python, HANA client, browsers, SNC, ICM lines no structured reader claims), recognised by the kb: ranked likely/possible hypotheses with fixes in that stack.
 *
 * Each hypothesis says what tells it apart and what to collect next; when an outside client failed
 * against an SAP server, the SAP side is the server and the finding says what changes on each side.
 * A message alone never proves a cause: a finding is `certain` only when a certificate of the same input
 * (pasted as PEM, or its dates printed beside the chain) proves it — an expired member of the chain.
 */

import { linesOf, STRUCTURED } from '../../engine/settled.js';
import { loadRecognizer } from '../../kb/recognize/load.js';
import type { RecognizerEntry } from '../../kb/recognize/model.js';
import type { KbHypothesis } from '../../kb/types.js';
import type { Cause, Role } from '../../model/cause.js';
import type { EvidenceEvent, MessageEvent } from '../../model/evidence.js';
import { defineRule } from '../define.js';
import { pinnedName } from '../pinned-name.js';
import { isPublicService, isSapHosted } from '../printed-chain.js';
import { type CertificateFacts, certificateFacts, pastedCertificates } from './certificate-evidence.js';
import { importFromChain, rankByEvidence } from './evidence-ranking.js';
import { isSapStack, plainFirstProtocol, STACK_NAMES, sapServerSteps, stackSteps } from './stack-fixes.js';

/** Entry kinds that describe a failure. */
const FAILURE_KINDS: ReadonlySet<string> = new Set(['message', 'code', 'alert']);

/** Hypotheses shown per message (most common first). */
const MAX_HYPOTHESES = 4;

/** One line per cause, in our words. */
const CAUSE_TITLES: Record<Cause, string> = {
  'untrusted-root': "The client does not trust the root CA of the server's chain",
  'missing-intermediate': 'The server does not send its intermediate CA certificate',
  'own-cert-rejected': 'The peer rejects the certificate this side presents',
  'client-cert-missing': 'The server asks for a client certificate the client does not send',
  'client-cert-rejected': "The server does not accept the client's certificate",
  'hostname-mismatch': 'The server certificate does not name the host that was called',
  'wrong-host': 'The call reaches a different server than intended',
  'expired-peer-cert': 'The certificate of the other side is expired or not yet valid',
  'expired-own-cert': 'The own certificate is expired or not yet valid',
  'weak-signature': 'A certificate uses a signature or key the other side refuses',
  'sni-missing': 'The client does not send the server name (SNI) the server needs',
  'tls-version': 'Client and server share no TLS version',
  'cipher-mismatch': 'Client and server share no cipher suite',
  'not-ssl-port': 'The port does not speak TLS (plain HTTP or another protocol)',
  proxy: 'A proxy refuses or breaks the connection',
  interception: 'A TLS-inspecting proxy or appliance replaces the server certificate',
  network: 'The connection fails below TLS (network, firewall, reset)',
  'pse-missing': 'The PSE or key store the process needs is missing',
  'pse-credential': 'The process cannot open its PSE (credentials, PIN, permissions)',
  'lib-not-found': 'The crypto or SNC library cannot be loaded',
  'snc-name': 'The SNC name does not match the partner identity',
  'snc-credentials': 'SNC has no usable credentials',
  unknown: 'The message does not say which cause; more evidence is needed',
};

/** Outside clients keep no PSE: the same causes in their words (certificate, key and trust store files). */
const OUTSIDE_CAUSE_TITLES: Partial<Record<Cause, string>> = {
  'pse-missing': 'The certificate, key or trust store file the program needs is missing or not usable',
  'pse-credential': 'The program cannot open its certificate, key or key store (password, permissions)',
};

/** The title of a cause for the stack that printed the message. */
function causeTitleFor(cause: Cause, stack: string): string {
  return (isSapStack(stack) ? undefined : OUTSIDE_CAUSE_TITLES[cause]) ?? CAUSE_TITLES[cause];
}

/** What to collect next, per stack, when an entry states nothing better. */
function defaultCollect(stack: string): string {
  if (isSapStack(stack))
    return 'the ICM or work-process trace at level 2 (SMICM → Goto → Trace Level), reproduced, then pse-doctor analyze on it';
  return "the server's chain as sent (pse-doctor probe <host>:<port>) and the client's complete error output";
}

/** The entry's ranked hypotheses, or one per cause tag when the entry ranks none. */
function hypothesesOf(entry: RecognizerEntry, stack: string): KbHypothesis[] {
  if (entry.hypotheses.length > 0) return entry.hypotheses;
  const causes: Cause[] = entry.causes.length > 0 ? entry.causes : ['unknown'];
  return causes.map((cause) => ({
    cause,
    why: entry.title,
    tellsApart:
      causes.length > 1
        ? 'the message alone fits several causes; the evidence to collect tells them apart'
        : 'this is the cause the knowledge base gives for the message',
    collectNext: defaultCollect(stack),
  }));
}

/**
 * The hypotheses in the order that fits the side that printed the message. A client that the input shows
 * authenticating with a certificate (a key store, `--cert`, a client-certificate setting): when an entry
 * lists both readings of a rejected certificate, the client-side one (`client-cert-rejected`) comes before
 * the server-side one (`own-cert-rejected`, written for a server whose SSL server certificate the peer refused).
 */
function forSide(
  hypotheses: KbHypothesis[],
  side: MessageEvent['side'] | undefined,
  context: readonly string[] | undefined,
): KbHypothesis[] {
  const client = hypotheses.find((h) => h.cause === 'client-cert-rejected');
  const own = hypotheses.findIndex((h) => h.cause === 'own-cert-rejected');
  if (side !== 'client' || !context?.includes('client-cert-auth')) return hypotheses;
  if (!client || own < 0 || hypotheses.indexOf(client) < own) return hypotheses;
  const rest = hypotheses.filter((h) => h !== client);
  rest.splice(own, 0, client);
  return rest;
}

/**
 * The side that printed the message: the entry's side, and where the entry says `either` (or nothing),
 * the side the printing stack takes — an outside stack (Node, Java, .NET, Go, Python, curl, OpenSSL, a
 * browser) calling an SAP system is its client. For SAP software printing an `either` text it stays open.
 */
export function printingSide(stack: string, side: MessageEvent['side']): 'client' | 'server' | undefined {
  if (side === 'client' || side === 'server') return side;
  return isSapStack(stack) ? undefined : 'client';
}

/** Role of the SAP side: the printing side for SAP software, the other side for an outside client. */
export function roleOf(stack: string, side: MessageEvent['side']): Role | undefined {
  const printed = printingSide(stack, side);
  if (!printed) return undefined;
  if (isSapStack(stack)) return printed;
  return printed === 'client' ? 'server' : 'client';
}

function entryOf(id: string): RecognizerEntry | undefined {
  return loadRecognizer().entryById(id);
}

/**
 * Statuses that a more telling message of the same input explains: a "403 Forbidden" beside "no user
 * found for certificate" is one failure. The status event (an entry that fits more causes and that the
 * telling entry names among its `related:`) yields: its lines become evidence of the telling one.
 */
function foldStatuses(messages: readonly MessageEvent[]): {
  yielded: Set<MessageEvent>;
  took: Map<MessageEvent, MessageEvent[]>;
} {
  const yielded = new Set<MessageEvent>();
  const took = new Map<MessageEvent, MessageEvent[]>();
  for (const ev of messages) {
    const entry = entryOf(ev.entry);
    if (!entry) continue;
    const teller = messages.find((o) => {
      if (o === ev || o.source.input !== ev.source.input || yielded.has(o)) return false;
      const oe = entryOf(o.entry);
      return oe?.related?.includes(ev.entry) === true && oe.causes.length < entry.causes.length;
    });
    if (!teller) continue;
    yielded.add(ev);
    took.set(teller, [...(took.get(teller) ?? []), ev]);
  }
  return { yielded, took };
}

/** A message event ready to report: its entry, sides and hypotheses ranked by the rest of its input. */
interface Prepared {
  ev: MessageEvent;
  entry: RecognizerEntry;
  role: Role | undefined;
  side: MessageEvent['side'];
  stackName: string;
  facts: CertificateFacts;
  ranked: ReturnType<typeof rankByEvidence>;
  under: EvidenceEvent[];
}

/** Causes that name a symptom, not a reason: a message ranking one first tells no other message why. */
const SYMPTOMS: ReadonlySet<Cause> = new Set<Cause>(['network', 'unknown']);

/**
 * Whether message `other` tells more about the failure than `item`: its entry fits fewer causes, or as
 * few and it was printed by the other side of the connection (a server knows why it ended a handshake
 * that its client only saw fail) — unless what it ranks first is itself a symptom (a connection closed).
 */
function tellsMore(other: Prepared, item: Prepared): boolean {
  const first = other.ranked.hypotheses[0]?.cause;
  if (!first || SYMPTOMS.has(first)) return false;
  const a = other.entry.hypotheses.length;
  const b = item.entry.hypotheses.length;
  if (a === 0 || a > b) return false;
  // As few causes: the server's text tells more than its client's, and a TLS alert the peer sent (Schannel's
  // "fatal alert … code is 48") more than a wrapper without one - never the other way round (both ways,
  // each would make the other's lead a guess).
  return (
    a < b ||
    (other.side === 'server' && item.side === 'client') ||
    (NAMES_ALERT.test(other.ev.text) && !NAMES_ALERT.test(item.ev.text))
  );
}

/** A kb text (`why`, `fix`: written without a closing stop) as a sentence of the report. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** A message quoting the TLS alert that ended the handshake. */
const NAMES_ALERT = /\bfatal alert\b|\balert (?:code|number|message|received)\b|\bwarnungscode\b/i;

/**
 * Two messages of one paste are usually two sides of one failure: a client's vague text ("Could not create
 * SSL/TLS secure channel") beside the server's telling one ("peer did not return a certificate"). The cause
 * the telling message ranks first then comes first among the vague one's hypotheses too, when that entry
 * lists it (a proven cause, read from a certificate, stays first).
 */
function byTellingMessage(prepared: Prepared[]): void {
  for (const item of prepared) {
    if (item.ranked.proven) continue;
    const list = item.ranked.hypotheses;
    for (const other of prepared) {
      if (other === item || other.ev.source.input !== item.ev.source.input) continue;
      if (!tellsMore(other, item)) continue;
      const cause = other.ranked.hypotheses[0]?.cause;
      const i = list.findIndex((h) => h.cause === cause);
      if (i < 0) continue;
      // Already first (the paste's own words put it there): it still says which message names it.
      const h = list[i]!;
      list.splice(i, 1);
      const why = h.why.replace(/[.!?]$/, '');
      list.unshift({
        ...h,
        why: `${why}; the same paste's "${other.ev.text.slice(0, 120)}" names this cause`,
      });
      break;
    }
  }
}

export default defineRule({
  id: 'kb-message',
  causes: [...(Object.keys(CAUSE_TITLES) as Cause[])],
  needs: ['message'],
  uses: [...STRUCTURED, 'certificates', 'trace-info'],
  // Runs after the rules for structured evidence: a message whose lines a specific rule already judged
  // adds nothing; one they left unexplained gets the knowledge base's ranked hypotheses.
  fallback: true,
  // Cites the kb entry each message event was recognised as (data-driven), none of its own.
  kb: [],
  kbFromEvidence: true,
  rank: 60,
  messages: () => ({
    hypothesis: {
      title: '{causeTitle}',
      summary: '{stackName} printed "{text}"{entryClause}. {why}{roleNote}',
      collect: ['{collectNext}'],
      distinguish: '{tellsApart}',
      confirm: ['The call succeeds and the message no longer appears.'],
    },
  }),
  check({ events, now }, { report, explained }) {
    const structured = new Map<string, EvidenceEvent[]>();
    for (const kind of STRUCTURED) {
      for (const e of (events as unknown as Record<string, EvidenceEvent[]>)[kind] ?? []) {
        for (const key of linesOf(e)) structured.set(key, [...(structured.get(key) ?? []), e]);
      }
    }
    const messages = events.message as MessageEvent[];
    const folded = foldStatuses(messages);
    const prepared: Prepared[] = [];
    for (const ev of messages) {
      // Settled (src/engine/settled.ts): explained, or on the lines of an explained structured event.
      if (folded.yielded.has(ev) || explained?.has(ev)) continue;
      const under = [...new Set(linesOf(ev).flatMap((k) => structured.get(k) ?? []))];
      const entry = entryOf(ev.entry);
      if (!entry) continue;
      // A parameter, transaction or concept named in a line is evidence, not a failure of its own.
      if (!FAILURE_KINDS.has(entry.kind) && entry.hypotheses.length === 0) continue;
      // An outside client calling a well-known public service that is not SAP's (Azure Storage, npm) is not
      // calling the SAP system: the SAP side is not the server there.
      const printedRole = roleOf(ev.stack, ev.side);
      const role =
        printedRole === 'server' && isPublicService(ev.host) && !isSapHosted(ev.host)
          ? undefined
          : printedRole;
      const side = printingSide(ev.stack, ev.side) ?? ev.side;
      const stackName = STACK_NAMES[ev.stack] ?? ev.stack;
      const pasted = pastedCertificates(events.certificates, ev.source.input);
      const facts = certificateFacts(ev, pasted, now);
      const pinned = pinnedName(events['trace-info'], ev.source.input, [ev.host], ev.text);
      if (pinned) facts.pinned = pinned;
      const ranked = rankByEvidence(forSide(hypothesesOf(entry, ev.stack), side, ev.context), ev, facts);
      prepared.push({ ev, entry, role, side, stackName, facts, ranked, under });
    }
    byTellingMessage(prepared);
    for (const item of prepared) {
      const { ev, entry, role, side, stackName, facts, ranked, under } = item;
      const hypotheses = ranked.hypotheses.slice(0, MAX_HYPOTHESES);
      // A vague message whose lead a more telling one of the same paste does not share (a ticket's
      // "fails with SSL error" beside curl's name mismatch) leads with a guess only: possible.
      const outranked =
        ranked.proven === undefined &&
        prepared.some(
          (o) =>
            o !== item &&
            o.ev.source.input === ev.source.input &&
            tellsMore(o, item) &&
            o.ranked.hypotheses[0]?.cause !== hypotheses[0]?.cause,
        );
      let planned = false;
      hypotheses.forEach((h, i) => {
        const serverSide =
          role === 'server' && !isSapStack(ev.stack) ? sapServerSteps(h.cause, ev.stack) : [];
        const roleNote =
          serverSide.length > 0
            ? ` The SAP system is the server here: the fix is either on the client side, in its ${stackName.replace(/^the /, '')} settings, or in what the SAP server presents.`
            : '';
        const why = sentence(h.why);
        // The first trust hypothesis judged on a printed chain names the CA to import.
        const plan =
          !planned && ranked.verdict
            ? importFromChain(ranked.verdict, h.cause, ev, facts.rootCertificate)
            : undefined;
        if (plan) planned = true;
        report({
          message: 'hypothesis',
          data: {
            causeTitle: causeTitleFor(h.cause, ev.stack),
            stackName: stackName.charAt(0).toUpperCase() + stackName.slice(1),
            text: ev.text,
            // A title that ends in its own parenthesis ("… (error 4321)") is not put in another one.
            entryClause: entry.title.endsWith(')') ? `: ${entry.title}` : ` (${entry.title})`,
            why: why.charAt(0).toUpperCase() + why.slice(1),
            roleNote,
            tellsApart: h.tellsApart,
            collectNext: h.collectNext,
          },
          cause: h.cause,
          // Certain only when a certificate of the input proves the first cause (its own dates).
          confidence: i === 0 && !outranked ? (ranked.proven === h.cause ? 'certain' : 'likely') : 'possible',
          severity: 'error',
          ...(role ? { role } : {}),
          printedBy: { stack: ev.stack, ...(side ? { side } : {}) },
          ...(ev.code
            ? {
                errorCode: { name: ev.code, ...(entry.number !== undefined ? { number: entry.number } : {}) },
              }
            : {}),
          leadSteps: [
            ...(h.fix ? [sentence(h.fix)] : []),
            ...stackSteps(ev.stack, h.cause, h.fix !== undefined, plainFirstProtocol(ev.text, ev.context)),
            ...serverSide,
          ],
          ...(plan ? { import: plan } : {}),
          ...(ev.host ? { target: { host: ev.host } } : {}),
          events: [ev, ...under, ...(folded.took.get(ev) ?? []), ...facts.events],
          kb: [ev.entry],
        });
      });
    }
  },
});
