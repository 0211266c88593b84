/** @module Knowledge-base entry types: the shape every kb/*.md file parses into, shared by all views. */
import type { Cause } from '../model/cause.js';

/** What an entry describes. Problem kinds explain a failure; reference kinds describe a thing. */
export const KB_KINDS = [
  'message',
  'code',
  'alert',
  'parameter',
  'transaction',
  'pse',
  'tool',
  'concept',
  'howto',
] as const;
export type KbKind = (typeof KB_KINDS)[number];

/** Kinds whose body explains a failure (headings "What it means / Likely causes / How to fix / How to confirm"). */
export const PROBLEM_KINDS: ReadonlySet<KbKind> = new Set<KbKind>(['message', 'code', 'alert']);

/** Proxies, gateways and the clients added after the first outside ones: listed once, used in both lists below. */
const PROXY_AND_OTHER_CLIENT_STACKS = [
  'envoy',
  'nginx',
  'haproxy',
  'azure',
  'rust',
  'cloudflare',
  'gnutls',
  'erlang',
  'php',
  'perl',
  'ibm-mq',
  'apple',
] as const;

/**
 * Software stacks that print error texts (the `stacks:` vocabulary): who printed a line decides which
 * trust store the fix names.
 */
export const KB_STACKS = [
  'icm',
  'abap',
  'webdispatcher',
  'commoncryptolib',
  'sapgenpse',
  'snc',
  'kerberos',
  'slc',
  'sap-gui',
  'openssl',
  'node',
  'java',
  'iaik',
  'dotnet',
  'schannel',
  'go',
  'python',
  'curl',
  'wget',
  'browser',
  'hana-client',
  'cloud-connector',
  'integration-suite',
  'sac',
  'btp',
  ...PROXY_AND_OTHER_CLIENT_STACKS,
] as const;
export type KbStack = (typeof KB_STACKS)[number];

/** Stacks that are SAP software themselves: their side is the SAP side. */
export const SAP_STACKS: ReadonlySet<string> = new Set<KbStack>([
  'icm',
  'iaik',
  'abap',
  'webdispatcher',
  'commoncryptolib',
  'sapgenpse',
  'snc',
  'kerberos',
  'slc',
  'sap-gui',
  'cloud-connector',
  'integration-suite',
  'sac',
  'btp',
]);

/**
 * Stacks of outside clients (neither SAP software nor a HANA client): their logs are read with the broad
 * markers, and their exceptions wrap one another.
 */
export const OUTSIDE_CLIENT_STACKS: ReadonlySet<string> = new Set<KbStack>([
  'openssl',
  'node',
  'java',
  'dotnet',
  'schannel',
  'go',
  'python',
  'curl',
  'wget',
  'browser',
  ...PROXY_AND_OTHER_CLIENT_STACKS,
]);

/** Side of the connection whose software printed the text (`either`: both sides print it). */
export const KB_SIDES = ['client', 'server', 'either'] as const;
export type KbSide = (typeof KB_SIDES)[number];

/** One ranked hypothesis of an entry: a cause, why it fits, what tells it apart, what to collect next. */
export interface KbHypothesis {
  cause: Cause;
  why: string;
  tellsApart: string;
  collectNext: string;
  /** A fix step in this message's own terms (SSH known_hosts, NTP), shown before the stack's generic steps. */
  fix?: string;
  /**
   * Facts of the input that make this hypothesis the first one when all of them are seen (a 401 on a
   * destination with client-certificate authentication is a certificate mapping, not a password).
   */
  when?: KbContextFact[];
}

/**
 * Facts a paste states beside the message (its configuration, the command it ran) that change the ranking
 * of a message's hypotheses (`when:` of a hypothesis). Read from the lines the knowledge model reads.
 * `server-log`: the input is a TLS server's log (nginx, Apache mod_ssl, a JDK server), so a text either
 * side prints (an alert it received) was printed by the server, and names what a client refused.
 * `tls-version-stated`: the paste says which TLS versions a side accepts or has switched off.
 * `sap-calls`: the paste says an SAP system calls the machine whose log it is (an SM59 destination, "our
 * S/4 calls …"), so a Windows event log it holds is the server's. `plain-first`: the call uses a protocol
 * whose standard port begins in plain text and switches with STARTTLS (SMTP, LDAP, FTP, IMAP, POP3).
 * `chain-incomplete-stated`: the paste says the server's chain is incomplete (SSL Labs, "the intermediate
 * is missing"); it states a cause (STATED_CAUSES), so any entry's hypothesis of that cause comes first.
 * `interception-stated`: the paste names a TLS-inspecting proxy (Zscaler, Netskope, "SSL inspection"); it
 * states `interception` the same way. `ca-file-unset`: PHP's ini shows curl.cainfo / openssl.cafile empty or
 * commented out, so its curl and OpenSSL have no CA file at all. `public-intermediate-issuer`: curl -v or
 * wget printed the server certificate's issuer, and it is an intermediate of a public CA (states
 * `missing-intermediate`: a client holds the public roots, so the intermediate was not sent).
 * `legacy-ciphers-stated`: a cipher suite list in the paste names an RC4, 3DES or DES suite (nmap, sslscan,
 * an s_client run, a profile value); it states `cipher-mismatch`. `sni-off-stated`: the client is set not
 * to send SNI (`-Djsse.enableSNIExtension=false`, `SAPSSL_CLIENT_SNI_ENABLED=FALSE`, a `client_sni_enabled`
 * parameter set to FALSE, s_client's `-noservername`); it states `sni-missing`. `client-cert-required-stated`:
 * the paste says the partner requires a client certificate (mutual TLS, `VCLIENT=2`, "client certificate
 * required"), which `client-cert-auth` (any client-certificate words) does not say.
 * `works-elsewhere-stated`: the paste says another client reaches the same server (the browser or curl
 * works, shows the right certificate): what this client sends (SNI, its trust list) is the suspect.
 * `expiry-stated`: the paste says in words of its own that a certificate expired (`certificate has
 * expired`, `has expired at …`, not an alert's name); the entry's first expiry hypothesis (the peer's, or
 * this side's where the entry puts that first) comes first.
 */
export const KB_CONTEXT_FACTS = [
  'client-cert-auth',
  'anonymous-client',
  'encrypt-on',
  'encrypt-off',
  'hana-cloud',
  'lib-load-error',
  'server-log',
  'via-proxy',
  'tls-version-stated',
  'sap-calls',
  'plain-first',
  'chain-incomplete-stated',
  'interception-stated',
  'ca-file-unset',
  'public-intermediate-issuer',
  'legacy-ciphers-stated',
  'sni-off-stated',
  'client-cert-required-stated',
  'works-elsewhere-stated',
  'expiry-stated',
] as const;
export type KbContextFact = (typeof KB_CONTEXT_FACTS)[number];

/**
 * An entry that fits this many causes or more says little on its own: it wraps the telling text (`fetch
 * failed`, "The SSL connection could not be established", `ICM_HTTP_SSL_ERROR`).
 */
export const WRAPPER_CAUSES = 4;

/**
 * Facts that state a cause outright: the hypothesis of that cause comes first in every entry that ranks
 * it, without a `when:` of its own.
 */
export const STATED_CAUSES: Partial<Record<KbContextFact, Cause>> = {
  'chain-incomplete-stated': 'missing-intermediate',
  'public-intermediate-issuer': 'missing-intermediate',
  'interception-stated': 'interception',
  'legacy-ciphers-stated': 'cipher-mismatch',
  'sni-off-stated': 'sni-missing',
};

/** What an entry may flag as not confirmed by SAP sources. */
export const UNCERTAIN_FLAGS = [
  'number',
  'short-text',
  'printed-text',
  'meaning',
  'causes',
  'fix',
  'value',
  'file-name',
  'existence',
] as const;
export type UncertainFlag = (typeof UNCERTAIN_FLAGS)[number];

/** Plain-language wording of each uncertainty flag, for renderers. */
export const UNCERTAIN_TEXT: Record<UncertainFlag, string> = {
  number: 'the numeric value is not confirmed by SAP sources',
  'short-text': 'the SAP short text is not confirmed',
  'printed-text': 'the exact wording printed in traces is inferred, not seen in SAP sources',
  meaning: 'the meaning is inferred (from the name or one secondary source)',
  causes: 'the causes are inferred from related cases, not documented by SAP',
  fix: 'the fix is inferred from related cases, not documented by SAP',
  value: 'the recommended value is not confirmed for every release',
  'file-name': 'the file naming is not confirmed by SAP documentation',
  existence: 'no SAP source confirms that this code exists',
};

/** Section keys in their fixed order. `decides` is optional; the other four are required. */
export const SECTION_KEYS = ['meaning', 'causes', 'fix', 'confirm', 'decides'] as const;
export type KbSectionKey = (typeof SECTION_KEYS)[number];

/** The H2 heading each section has, for problem kinds and for reference kinds. */
export const SECTION_HEADINGS: Record<'problem' | 'reference', Record<KbSectionKey, string>> = {
  problem: {
    meaning: 'What it means',
    causes: 'Likely causes',
    fix: 'How to fix',
    confirm: 'How to confirm',
    decides: 'Which evidence decides',
  },
  reference: {
    meaning: 'What it is',
    causes: 'When it matters',
    fix: 'What to do',
    confirm: 'How to check',
    decides: 'Which evidence decides',
  },
};

/** A block of body text. Inline text may contain `code` spans (see `splitInlineCode`). */
export type KbBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'code'; text: string };

/** One body section. */
export interface KbSection {
  key: KbSectionKey;
  heading: string;
  blocks: KbBlock[];
}

/** One knowledge-base entry (one kb/<kind>/<file>.md). */
export interface KbEntry {
  /** Canonical id: constant name, class+number, parameter name, transaction, PSE file name. */
  id: string;
  kind: KbKind;
  /** One line in our words. */
  title: string;
  /** Other names users type or traces print (exact-lookup keys). */
  aliases: string[];
  /** Code family or message class group (`SSSLERR`, `ICM_HTTP`, `TLS_ALERT`, `TRUST`, `SNC`, …). */
  family?: string;
  /** Numeric value of a code (`-102`, ICM `407`, TLS alert `40`). */
  number?: number;
  messageClass?: string;
  /** Three digits, as SAP shows them (`040`). */
  messageNumber?: string;
  /** E, W, S, I, A or X. */
  messageType?: string;
  /** SAP's short text, verbatim (placeholders `&1` kept). */
  shortText?: string;
  /** Texts as SAP, CommonCryptoLib or clients print them (used by search). */
  printed: string[];
  /**
   * Regular expressions (JS source, matched case-insensitively) for printed texts a literal cannot
   * describe; each is linear-time and contains a literal of at least 4 characters used as prefilter.
   */
  patterns: string[];
  /** Stacks that print the texts of this entry (empty: derived from `family` by the matcher). */
  stacks: KbStack[];
  /** Side of the connection whose software prints them (absent: not stated). */
  side?: KbSide;
  /** Where the phrasings come from: URLs, SAP Notes/KBAs, or shared/domain/… files. */
  sources: string[];
  /** Report cause tags this entry typically leads to (the set; `hypotheses` ranks them). */
  causes: Cause[];
  /** Ranked hypotheses, most common first; every cause is also in `causes`. */
  hypotheses: KbHypothesis[];
  /**
   * Why one cause is all a recognisable message can mean (one line): an entry with `printed:` or
   * `patterns:` has at least two ranked hypotheses unless it says this.
   */
  singleCause?: string;
  related: string[];
  /** SAP Note / KBA numbers. */
  notes: string[];
  transactions: string[];
  parameters: string[];
  /** Parameters: the recommended value. */
  recommended?: string;
  /** Parameters: the default value, when known. */
  defaultValue?: string;
  /** PSE entries: STRUST node, context, application, file. */
  strustNode?: string;
  pseContext?: string;
  pseApplication?: string;
  /** Commands the user should run next (`explain` offers them). */
  next: string[];
  uncertain: UncertainFlag[];
  sections: KbSection[];
  /** Source file, relative to the repository root (`kb/code/SSSLERR_PEER_CERT_UNTRUSTED.md`). */
  file: string;
}

/** One ranked search hit. */
export interface KbMatch {
  entry: KbEntry;
  score: number;
  /**
   * Why it matched: the query is its id/alias (`exact`), names it inside a longer text (`mentioned`),
   * is spelled like its id (`similar`), or matches its words (`text`).
   */
  reason: 'exact' | 'mentioned' | 'similar' | 'text';
}

/** Result of `lookup()`. */
export interface KbLookupResult {
  query: string;
  /** The entry the whole query names (an id, alias or code form). */
  exact?: KbEntry;
  /** Ranked matches (the exact entry first when there is one). */
  matches: KbMatch[];
  /** True when `matches[0]` is a reliable answer (exact, a code named in the text, or a strong text match). */
  confident: boolean;
  /** Hint for the user about how the query was read (`407 read as an ICM code; …`). */
  hint?: string;
}

/** Options of `lookup()`. */
export interface KbLookupOptions {
  /** Read a bare three-digit number as an ICM_HTTP_* code / SCLNT_HTTP message number. */
  icm?: boolean;
  /** Restrict matches to one kind. */
  kind?: KbKind;
  /** Maximum number of matches (default 10). */
  limit?: number;
}
