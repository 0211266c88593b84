/** @module The explicit rule registry: one import + one entry per rule (folder name = rule id). */
// Every rule at once: the probe judgement too, so rules given probe events can judge them (probe-outcomes.ts).
import './probe-judgement/judge-probe.js';
import certRejectedByPeer from './cert-rejected-by-peer/rule.js';
import certificateValidity from './certificate-validity/rule.js';
import chainVerdict from './chain-verdict/rule.js';
import clientCertRequired from './client-cert-required/rule.js';
import connectionClosed from './connection-closed/rule.js';
import connectionFailed from './connection-failed/rule.js';
import cryptoLibNotLoaded from './crypto-lib-not-loaded/rule.js';
import type { Rule } from './define.js';
import hanaClientTrust from './hana-client-trust/rule.js';
import handshakeRejected from './handshake-rejected/rule.js';
import icmSslError from './icm-ssl-error/rule.js';
import inboundClientCert from './inbound-client-cert/rule.js';
import javaTrustStore from './java-trust-store/rule.js';
import kbMessage from './kb-message/rule.js';
import landscapeBaselineGap from './landscape-baseline-gap/rule.js';
import landscapePseDrift from './landscape-pse-drift/rule.js';
import landscapePseMissing from './landscape-pse-missing/rule.js';
import landscapeTargetUntrusted from './landscape-target-untrusted/rule.js';
import missingIntermediate from './missing-intermediate/rule.js';
import ownCertExpired from './own-cert-expired/rule.js';
import peerCertExpired from './peer-cert-expired/rule.js';
import plainHttpOnSslPort from './plain-http-on-ssl-port/rule.js';
import proxyRefused from './proxy-refused/rule.js';
import pseClientCertNoClientAuth from './pse-client-cert-no-client-auth/rule.js';
import pseClientListsDiffer from './pse-client-lists-differ/rule.js';
import pseDuplicateCerts from './pse-duplicate-certs/rule.js';
import pseOwnCertExpiry from './pse-own-cert-expiry/rule.js';
import psePinnedLeaf from './pse-pinned-leaf/rule.js';
import pseTrustedCertExpired from './pse-trusted-cert-expired/rule.js';
import pseUnavailable from './pse-unavailable/rule.js';
import pseWeakOwnCert from './pse-weak-own-cert/rule.js';
import serverCertMismatch from './server-cert-mismatch/rule.js';
import sncCredentials from './snc-credentials/rule.js';
import sncNameMismatch from './snc-name-mismatch/rule.js';
import sncPeerUntrusted from './snc-peer-untrusted/rule.js';
import tlsInterception from './tls-interception/rule.js';
import trustListCrossCheck from './trust-list-cross-check/rule.js';
import unexplainedFailure from './unexplained-failure/rule.js';
import untrustedPeerChain from './untrusted-peer-chain/rule.js';
import weakCertificate from './weak-certificate/rule.js';

export type { Rule } from './define.js';

/** Every rule, in registry order (the engine orders findings by confidence, severity and rank, not by this list). */
export const RULES: readonly Rule[] = [
  untrustedPeerChain,
  missingIntermediate,
  tlsInterception,
  serverCertMismatch,
  peerCertExpired,
  handshakeRejected,
  connectionClosed,
  certRejectedByPeer,
  clientCertRequired,
  inboundClientCert,
  proxyRefused,
  connectionFailed,
  plainHttpOnSslPort,
  icmSslError,
  cryptoLibNotLoaded,
  sncCredentials,
  sncNameMismatch,
  sncPeerUntrusted,
  javaTrustStore,
  hanaClientTrust,
  kbMessage,
  pseUnavailable,
  ownCertExpired,
  pseOwnCertExpiry,
  pseTrustedCertExpired,
  pseDuplicateCerts,
  pseClientListsDiffer,
  pseWeakOwnCert,
  pseClientCertNoClientAuth,
  psePinnedLeaf,
  landscapePseDrift,
  landscapePseMissing,
  landscapeBaselineGap,
  landscapeTargetUntrusted,
  unexplainedFailure,
  certificateValidity,
  weakCertificate,
  trustListCrossCheck,
  chainVerdict,
];
