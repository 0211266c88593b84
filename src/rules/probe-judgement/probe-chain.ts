/**
 * @module Probe judgement, last section: the chain the server sent, judged as the ICM holding the trust
 * list would (untrusted-peer-chain, missing-intermediate, peer-cert-expired, server-cert-mismatch,
 * weak-certificate), what SNI changes, and protocol versions that matter when the handshake worked.
 */

import { icmCode, sapSslCode } from '../../codes/sap-codes.js';
import { describeOutcome } from '../../evidence/probe-transcript.js';
import type { Confidence } from '../../model/cause.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { escapeControlChars } from '../../model/escape-controls.js';
import type { EvidenceLine } from '../../model/evidence.js';
import type { Finding, ReportCertificate } from '../../model/report.js';
import { isSelfSigned } from '../../pki/chain.js';
import { describePem } from '../../pki/describe-pem.js';
import { nameForText } from '../../pki/dn.js';
import { buildImportPlan } from '../../pki/import-plan.js';
import { pathCertificates, summarizeVerdict } from '../../pki/report-certificate.js';
import {
  type ChainProblem,
  checkHostName,
  mapProblemToSap,
  type ProfileVerdict,
  verifyWithProfile,
} from '../../pki/verify.js';
import {
  ALERT_HANDSHAKE,
  ALERT_PROTOCOL,
  CIPHERS_WITH_TLS13,
  cn,
  ICM_SSL_ERROR,
  normalisePem,
  SNI_PARAMETERS,
} from './probe-context.js';
import { HandshakeJudge } from './probe-handshake.js';

/** The registered rule that reports a chain problem of this kind. */
export function chainRule(kind: ChainProblem['kind']): string {
  switch (kind) {
    case 'intermediate-missing':
      return 'missing-intermediate';
    case 'expired':
    case 'not-yet-valid':
      return 'peer-cert-expired';
    case 'name-mismatch':
      return 'server-cert-mismatch';
    case 'weak-signature':
      return 'weak-certificate';
    default:
      return 'untrusted-peer-chain';
  }
}

/** The whole judgement, in order (see `judge`). */
export class ProbeJudge extends HandshakeJudge {
  /**
   * No connection (TCP, DNS, proxy) → not TLS → handshake refused (version, cipher, SNI, client
   * certificate) → the chain under `sap-icm` → SNI and version observations.
   */
  judge(): this {
    const main = this.r.main;
    if (this.judgeConnection(main)) return this;
    const handshakeJudged = this.judgeHandshake(main);
    this.judgeChain();
    this.judgeSni(handshakeJudged);
    this.judgeVersions(handshakeJudged);
    return this;
  }

  protected judgeChain(): void {
    const certs = this.r.certificates ?? [];
    if (certs.length === 0) return;
    const host = this.r.target.host;
    const label = this.r.chainFrom ?? 'main';
    const browser = verifyWithProfile('browser', {
      chain: certs,
      host,
      now: this.now,
      fetched: this.fetched,
    });
    const trust = this.input.trust;
    // Without a trust list, assume the PSE holds the root this chain leads to, judge everything else,
    // and name that root.
    const root = trust ? undefined : this.rootOf(browser, certs);
    const sap = verifyWithProfile('sap-icm', {
      chain: certs,
      host,
      now: this.now,
      trust: trust ? trust.certificates : root ? [root.cert] : [],
      trustName: trust
        ? this.trustName()
        : root
          ? `a PSE assumed to hold "${cn(root.cert)}"`
          : 'the SSL client PSE',
      fetched: this.fetched,
    });
    this.verification.push(summarizeVerdict(sap), summarizeVerdict(browser));
    this.chainFindings(sap, browser, label, trust ? 'certain' : 'likely');
    if (
      root &&
      !this.outcomes.some((f) => f.cause === 'untrusted-root' || f.cause === 'missing-intermediate')
    ) {
      this.rootNeeded(root, label);
    }
  }

  /** The root the chain leads to: the browser's anchor, a self-signed top the server sent, or an AIA-fetched root. */
  protected rootOf(
    browser: ProfileVerdict,
    certs: CertificateInfo[],
  ): { cert: CertificateInfo; source: 'bundled-roots' | 'peer-chain' | 'aia' } | undefined {
    if (browser.anchor) {
      const sent = certs.find((c) => c.sha256 && c.sha256 === browser.anchor?.cert.sha256);
      return { cert: browser.anchor.cert, source: sent ? 'peer-chain' : 'bundled-roots' };
    }
    const top = browser.chain.path[browser.chain.path.length - 1]?.cert;
    if (top && isSelfSigned(top) && browser.chain.path.length > 1) return { cert: top, source: 'peer-chain' };
    const fetchedRoot = this.fetched.find((c) => isSelfSigned(c));
    if (fetchedRoot) return { cert: fetchedRoot, source: 'aia' };
    return undefined;
  }

  /** The chain as the Report shows it (one mapping for every command). */
  protected reportCertificates(v: ProfileVerdict): ReportCertificate[] {
    return pathCertificates(v);
  }

  protected chainFindings(
    sap: ProfileVerdict,
    browser: ProfileVerdict,
    label: string,
    confidence: Confidence,
  ): void {
    const seen = new Set<string>();
    const sni = this.sniExplainsName(sap);
    sap.problems.forEach((p, i) => {
      if (seen.has(p.kind) || p.kind === 'empty') return;
      seen.add(p.kind);
      if (p.kind === 'name-mismatch' && sni) {
        this.sniFixesName(sap, p, sni, label);
        return;
      }
      this.chainFinding(sap, browser, p, label, confidence, i > 0);
    });
  }

  protected chainFinding(
    sap: ProfileVerdict,
    browser: ProfileVerdict,
    p: ChainProblem,
    label: string,
    confidence: Confidence,
    later: boolean,
  ): void {
    const map = mapProblemToSap(p.kind);
    if (!map) return;
    const list = this.trustName();
    const trustGiven = this.input.trust !== undefined;
    const leaf = sap.chain.path[0]?.cert;
    const finding: Omit<Finding, 'role' | 'target' | 'evidence' | 'kb'> & {
      evidence: EvidenceLine[];
      kb: string[];
    } = {
      rule: chainRule(p.kind),
      cause: map.cause,
      confidence:
        p.kind === 'expired' ||
        p.kind === 'not-yet-valid' ||
        p.kind === 'name-mismatch' ||
        p.kind === 'self-signed'
          ? 'certain'
          : confidence,
      severity: 'error',
      title: '',
      summary: '',
      ...(map.error ? { errorCode: map.error } : {}),
      ...(map.icm ? { relatedCodes: [map.icm] } : {}),
      certificates: this.reportCertificates(sap),
      steps: [],
      evidence: this.linesOf(label),
      kb: [...map.kb],
    };
    const then = later ? ' Once the first problem is fixed, the ICM would report this next.' : '';
    switch (p.kind) {
      case 'root-missing':
      case 'self-signed':
      case 'chain-loop':
      case 'chain-too-long': {
        const selfSigned = p.kind === 'self-signed';
        const rootCert = p.missing?.cert ?? (browser.anchor ? browser.anchor.cert : undefined);
        const source = p.missing?.cert
          ? (p.missing.source ?? 'peer-chain')
          : browser.anchor
            ? 'bundled-roots'
            : 'not-found';
        const subject = rootCert?.subject ?? p.missing?.subject ?? leaf?.issuer ?? '(unknown root)';
        finding.title = selfSigned
          ? `The server's self-signed certificate "${cn(leaf)}" is not in ${list}`
          : `Root CA "${nameForText(subject)}" is missing from ${list}`;
        finding.summary = `${trustGiven ? `The ICM holding ${list}` : 'An SSL client PSE without it'} cannot verify the server's chain: ${p.message}. It reports SSSLERR_PEER_CERT_UNTRUSTED (-102); the caller sees ICM_HTTP_SSL_PEER_CERT_UNTRUSTED (421).${then}`;
        finding.import = buildImportPlan({
          certificate: rootCert ?? {
            subject,
            ...(p.missing?.aiaIssuers ? { aiaIssuers: p.missing.aiaIssuers } : {}),
          },
          kind: selfSigned ? 'self-signed-peer' : 'root',
          source,
          pses: this.pses,
        });
        finding.steps = this.importSteps(finding.import.fileName ?? 'the certificate');
        finding.confirm = [`${this.probeCommand()} shows no finding; the SM59 connection test works.`];
        break;
      }
      case 'intermediate-missing': {
        const m = p.missing;
        const known = m?.cert;
        const subject = known?.subject ?? m?.subject ?? '(unknown intermediate)';
        finding.title = `The server does not send its intermediate CA "${nameForText(subject)}", and ${list} lacks it`;
        finding.summary = `The server sends only part of its chain (${p.message}). Browsers fill the gap from their cache or the AIA URL; the ICM does not fetch certificates, so the chain ends before any certificate of ${list}. It reports SSSLERR_PEER_CERT_UNTRUSTED (-102).${then}`;
        finding.import = buildImportPlan({
          certificate: known ?? { subject, ...(m?.aiaIssuers ? { aiaIssuers: m.aiaIssuers } : {}) },
          kind: 'intermediate',
          source: known ? (m?.source === 'bundled-roots' ? 'bundled-roots' : 'aia') : 'not-found',
          pses: this.pses,
          reason:
            'The ICM does not fetch missing intermediates: with the server sending only its own certificate, the intermediate itself must be in the PSE (a root alone cannot close the gap). The lasting fix is on the server: send the full chain.',
          ...(known
            ? {}
            : {
                howToObtain: [
                  ...(m?.aiaIssuers?.length
                    ? [
                        ...m.aiaIssuers.map(
                          (u) =>
                            `Download it from the AIA caIssuers URL of the server certificate: ${escapeControlChars(u)}`,
                        ),
                        `Or let ${this.probeCommand(' --fetch-issuers')} fetch and name it.`,
                      ]
                    : ['The server certificate names no AIA URL to download it from.']),
                  'Ask the server owner for the intermediate (the server should send it anyway), or export it from a browser that reached the server (certificate viewer → certification path).',
                ],
              }),
        });
        finding.steps = [
          'Ask the server owner to configure the full chain (server certificate plus intermediate CA certificates).',
          ...this.importSteps(finding.import.fileName ?? 'the intermediate'),
          ...(browser.anchor
            ? [`Make sure the root CA "${cn(browser.anchor.cert)}" is in the list too.`]
            : []),
        ];
        finding.confirm = [`${this.probeCommand()} shows no finding.`];
        break;
      }
      case 'expired':
      case 'not-yet-valid': {
        const expired = p.kind === 'expired';
        const position =
          p.position === 'leaf'
            ? 'server certificate'
            : p.position === 'root'
              ? 'root CA'
              : 'intermediate CA';
        finding.title = expired
          ? `The ${position} "${cn(p.cert)}" expired on ${p.cert?.notAfter?.slice(0, 10) ?? '?'}`
          : `The ${position} "${cn(p.cert)}" is not valid before ${p.cert?.notBefore?.slice(0, 10) ?? '?'}`;
        finding.summary = `${p.message}. The ICM rejects the chain (SSSLERR_PEER_CERT_EXPIRED; ICM_HTTP_SSL_PEER_CERT_EXPIRED, 418).${then}${expired ? '' : ' A not-yet-valid certificate also points at a wrong clock on one side.'}`;
        finding.steps = expired
          ? [
              'The server owner must renew the certificate (or the CA certificate) and install it with its chain.',
              'If the server shows a valid certificate in a browser, the SAP host may reach another (old) server: compare the IP the name resolves to on the application server (SAP KBA 3391859).',
            ]
          : [
              'Check the clock of the application server (and this machine).',
              'Otherwise the server owner installed a certificate before its validity start: wait or re-issue.',
            ];
        finding.confirm = [`${this.probeCommand()} shows the new validity dates.`];
        break;
      }
      case 'name-mismatch': {
        const names = p.names?.length ? p.names.map(escapeControlChars).join(', ') : 'no usable names';
        finding.title = `The server certificate does not name ${this.r.target.host}`;
        finding.summary = `The certificate "${cn(leaf)}" names ${names}, not "${this.r.target.host}". The ICM compares the host of the URL with the certificate's CN and SAN and reports SSSLERR_SERVER_CERT_MISMATCH (-30); the caller sees ICM_HTTP_SSL_CERT_MISMATCH (415).${then}`;
        finding.steps = [
          'Use the host name the certificate names (the FQDN, not a short name or an IP address) in the destination.',
          'If the name is right, the server presents the wrong certificate: ask its owner to add the name to the SAN, or check DNS / hosts on the application server (a wrong IP reaches another server, SAP KBA 3391859).',
          'Only for Web Dispatcher back ends, wdisp/ssl_ignore_host_mismatch = TRUE is a workaround, not a fix.',
        ];
        finding.confirm = [`${this.probeCommand()} shows no name mismatch.`];
        break;
      }
      case 'weak-signature': {
        finding.title = `The chain uses a key or signature the ICM refuses: ${p.message}`;
        finding.summary = `${p.message}.${then}`;
        finding.steps = [
          'The server owner must replace the certificate with one using RSA ≥ 2048 bits or ECDSA and SHA-256 or better.',
        ];
        break;
      }
      default:
        return;
    }
    this.add(finding);
  }

  protected importSteps(fileName: string): string[] {
    const node = this.pses
      .map((p) => p.node)
      .filter(Boolean)
      .join('" and "');
    return [
      `Save the certificate as ${fileName} (--out writes it).`,
      `In STRUST, open "${node}", import ${fileName}, choose "Add to Certificate List" and save (SSL client PSEs used by the destination; abapGit uses SSL client Anonymous).`,
      'Saving in STRUST notifies the ICM (TRUST086). If you changed the PSE file with sapgenpse instead, restart the ICM (SMICM → Administration → ICM → Exit Soft).',
    ];
  }

  protected rootNeeded(
    root: { cert: CertificateInfo; source: 'bundled-roots' | 'peer-chain' | 'aia' },
    label: string,
  ): void {
    const plan = buildImportPlan({
      certificate: root.cert,
      kind: 'root',
      source: root.source,
      pses: this.pses,
    });
    this.add({
      rule: 'untrusted-peer-chain',
      cause: 'untrusted-root',
      confidence: 'possible',
      severity: 'info',
      title: `SAP needs the root CA "${cn(root.cert)}" in its SSL client PSE`,
      summary: `The server's chain leads to "${cn(root.cert)}". Without --trust, pse-doctor cannot tell whether SAPSSLA.pse / SAPSSLC.pse hold it; if they do not, the ICM reports SSSLERR_PEER_CERT_UNTRUSTED (-102). Run again with --trust <PSE, sapgenpse listing or PEM> to check.`,
      errorCode: sapSslCode('SSSLERR_PEER_CERT_UNTRUSTED'),
      relatedCodes: [icmCode(421)],
      import: plan,
      steps: this.importSteps(plan.fileName ?? 'the root'),
      confirm: [`${this.probeCommand(' --trust SAPSSLA.pse')} shows no finding.`],
      evidence: this.linesOf(label),
      kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
    });
  }

  // ---------- SNI ----------

  /** When the main chain's name fails and the flipped-SNI attempt got a certificate that names the host. */
  protected sniExplainsName(sap: ProfileVerdict): CertificateInfo | undefined {
    const cmp = this.r.sniCompare;
    if (!cmp?.chain?.length || !cmp.sni || this.r.main.sni) return undefined;
    if (!sap.problems.some((p) => p.kind === 'name-mismatch')) return undefined;
    const leaf = describePem(cmp.chain[0] ?? '');
    return checkHostName(this.r.target.host, leaf, 'cn-or-san').ok ? leaf : undefined;
  }

  protected sniFixesName(
    sap: ProfileVerdict,
    p: ChainProblem,
    withSni: CertificateInfo,
    label: string,
  ): void {
    this.add({
      rule: 'server-cert-mismatch',
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'error',
      title: `Without SNI, ${this.hostPort()} answers with a default certificate that does not name the host`,
      summary: `Without SNI the server presents "${cn(sap.chain.path[0]?.cert)}" (${p.message}); with SNI it presents "${cn(withSni)}", which names ${this.r.target.host}. The ICM without SNI reports SSSLERR_SERVER_CERT_MISMATCH (-30) / ICM_HTTP_SSL_CERT_MISMATCH (415). Turn SNI on.`,
      errorCode: sapSslCode('SSSLERR_SERVER_CERT_MISMATCH'),
      relatedCodes: [icmCode(415)],
      parameters: [...SNI_PARAMETERS],
      certificates: this.reportCertificates(sap),
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (and ssl/client_sni_enabled = TRUE) in the instance profile.',
        'Restart the ICM (SMICM → Administration → ICM → Restart).',
      ],
      confirm: [`${this.probeCommand()} (with SNI) shows no finding.`],
      evidence: [...this.linesOf(label), ...this.linesOf('sni-compare')],
      kb: ['icm/HTTPS/client_sni_enabled', 'ssl/client_sni_enabled', 'SSSLERR_SERVER_CERT_MISMATCH'],
    });
  }

  /** The main handshake sent SNI and worked; without SNI the server answers differently. */
  protected judgeSni(handshakeCause: string | undefined): void {
    const main = this.r.main;
    const cmp = this.r.sniCompare;
    if (!cmp || !main.sni || cmp.sni || handshakeCause === 'sni-missing') return;
    if (main.outcome !== 'ok' && main.step === 'tls') return;
    const mainLeaf = main.chain?.[0];
    const cmpLeaf = cmp.chain?.[0];
    const sameCert =
      mainLeaf !== undefined && cmpLeaf !== undefined && normalisePem(mainLeaf) === normalisePem(cmpLeaf);
    const cmpFailed = cmp.outcome !== 'ok' && cmp.step === 'tls';
    if (sameCert && !cmpFailed) return;
    if (!cmpLeaf && !cmpFailed) return;
    let code = sapSslCode('SSSLERR_CONN_CLOSED') as { name: string; number?: number };
    let what: string;
    if (cmpLeaf && !sameCert) {
      const other = describePem(cmpLeaf);
      const v = verifyWithProfile('sap-icm', {
        chain: (cmp.chain ?? []).map(describePem),
        host: this.r.target.host,
        now: this.now,
        trust: this.input.trust?.certificates ?? [],
      });
      const nameProblem = v.problems.find((p) => p.kind === 'name-mismatch');
      code = nameProblem
        ? sapSslCode('SSSLERR_SERVER_CERT_MISMATCH')
        : sapSslCode('SSSLERR_PEER_CERT_UNTRUSTED');
      what = `answers with another certificate, "${cn(other)}"${nameProblem ? `, which does not name ${this.r.target.host}` : ''}`;
    } else {
      what = describeOutcome(cmp).replace(/^the server /, '');
      if (cmp.alert?.code === 40) code = ALERT_HANDSHAKE;
    }
    this.add({
      rule: 'server-cert-mismatch',
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'warning',
      title: `${this.hostPort()} depends on SNI`,
      summary: `With SNI the handshake works; without SNI the server ${what}. An ICM that does not send SNI fails here with ${code.name}. Make sure SNI is on.`,
      errorCode: code,
      parameters: [...SNI_PARAMETERS],
      steps: [
        'Check icm/HTTPS/client_sni_enabled (and ssl/client_sni_enabled) in the instance profile (RZ11 shows the current value); set TRUE if it is not.',
        'Restart the ICM after changing it.',
      ],
      confirm: ['In dev_icm (trace level 2) the handshake shows the server name (TLSextSNI).'],
      evidence: [...this.line('main'), ...this.linesOf('sni-compare')],
      kb: ['icm/HTTPS/client_sni_enabled', 'ssl/client_sni_enabled', code.name],
    });
  }

  // ---------- protocol versions (when the main handshake worked) ----------

  protected judgeVersions(handshakeCause: string | undefined): void {
    if (handshakeCause) return;
    const versions = this.r.versions ?? [];
    const accepted = versions.filter((v) => v.result === 'accepted').map((v) => v.version);
    const all = versions.filter((v) => v.result !== 'untestable');
    if (accepted.length === 1 && accepted[0] === 'TLSv1.3' && all.length >= 3) {
      this.add({
        rule: 'handshake-rejected',
        cause: 'tls-version',
        confidence: 'likely',
        severity: 'warning',
        title: `${this.hostPort()} accepts only TLS 1.3`,
        summary:
          'The server refuses TLS 1.2 and older. Many SAP systems offer TLS 1.2 only: their ICM fails here unless kernel, CommonCryptoLib and ssl/client_ciphersuites support TLS 1.3.',
        errorCode: ALERT_PROTOCOL,
        relatedCodes: [ICM_SSL_ERROR],
        parameters: [CIPHERS_WITH_TLS13],
        steps: [
          'Check whether the SAP kernel and CommonCryptoLib support TLS 1.3 (SAP Notes 3318423, 2765639).',
          'Set ssl/client_ciphersuites to a string that enables TLS 1.3 (SAP Note 3346659) and restart the ICM.',
        ],
        confirm: ['dev_icm (trace level 2) shows a TLSv1.3 handshake.'],
        evidence: [...this.line('main'), ...this.line('versions')],
        kb: ['ssl/client_ciphersuites', 'SSSLERR_ALERT_PROTOCOL_VERSION'],
      });
    }
  }
}
