/**
 * @module Probe options and client identities (which hold secrets and never leave the prober), plus the
 * result shapes, which live in the model (`model/probe.ts`) because the evidence carries them.
 */
import type { ClientIdentityDescription, TlsVersionName } from '../model/probe.js';

export type {
  AttemptOutcome,
  AttemptStep,
  CertificateRequestInfo,
  ChainSource,
  ClientIdentityDescription,
  FetchedIssuer,
  HandshakeAttempt,
  NonTlsAnswer,
  ProbeResult,
  ProbeTarget,
  ProxyInfo,
  TlsAlert,
  TlsVersionName,
  VersionSupport,
} from '../model/probe.js';

/** Every version the version scan tries, oldest first. */
export const TLS_VERSIONS: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Options of one probe. Secrets (proxy password, client key) are passed in but never copied into results. */
export interface ProbeOptions {
  /** Send SNI in the main handshake (default true; `--no-sni` turns it off, as with client_sni_enabled = FALSE). */
  sni?: boolean;
  /** Per-step time limit in ms (TCP connect, proxy CONNECT, TLS handshake, HTTP answer). Default 8000. */
  timeoutMs?: number;
  /** How long to wait after the handshake for a late rejection when a client certificate was asked for. */
  settleMs?: number;
  proxy?: ProxyConfig;
  /** Client identity for mutual TLS. */
  clientIdentity?: ClientIdentity;
  /** Run the TLS 1.0–1.3 version scan (default true). */
  versionScan?: boolean;
  /** Compare the answer with and without SNI (default true; skipped for IP targets). */
  sniCompare?: boolean;
  /** Send one HTTP request after the handshake. */
  http?: { method: 'HEAD' | 'GET' };
  /** How many attempts run at the same time after the main one (default 3). */
  concurrency?: number;
  /** Clock for durations (tests may pin it). */
  now?: () => number;
}

/** A forward proxy with credentials (the password lives only here, in memory, for the CONNECT). */
export interface ProxyConfig {
  host: string;
  port: number;
  user?: string;
  password?: string;
}

/**
 * A client identity for mutual TLS: PEM certificate (+ chain) and key, or PKCS#12 bytes and password.
 * Held in memory for the handshakes only; `describe` is what results may show.
 */
export interface ClientIdentity {
  /** PEM certificate chain (leaf first) and PEM private key. */
  certPem?: string;
  keyPem?: string;
  /** PKCS#12 bytes and password. */
  pfx?: Buffer;
  passphrase?: string;
  /** Public facts about the identity for the report (subject, issuer, source file). */
  describe: ClientIdentityDescription;
}
