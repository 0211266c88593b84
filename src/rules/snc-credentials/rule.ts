/** @module SNC has no credentials: "No credentials were supplied" — missing cred_v2 / SLC not logged on / Kerberos SPN or delegation missing. */
import type { EvidenceEvent, KerberosFailureEvent, SncFailureEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { toReportPse } from '../failure-facts.js';

/**
 * The cause a GSS-API minor text names beside "No credentials were supplied": the PSE needs a PIN that no
 * credential (cred_v2) gives, or the PSE is not where the process looks.
 */
function leadOf(minor: string | undefined): 'pse-credential' | 'pse-missing' | undefined {
  if (!minor) return undefined;
  if (/\bPIN\b/i.test(minor)) return 'pse-credential';
  if (
    /\bPSE\b.{0,300}(?:not found|does not exist|no such file|cannot be found)|(?:cannot|could not) find (?:the )?PSE/i.test(
      minor,
    )
  )
    return 'pse-missing';
  return undefined;
}

export default defineRule({
  id: 'snc-credentials',
  causes: ['snc-credentials', 'pse-missing', 'pse-credential', 'snc-name'],
  needs: ['snc-failure', 'kerberos-failure'],
  kb: ['SNCERR_GSSAPI', 'A2200019', 'cred_v2', 'SAPSNCS.pse', 'SNC0'],
  citation: ['SAP Note 2491573'],
  rank: 4,
  messages: () => ({
    kerberos: {
      title: 'No Kerberos ticket for {spn|the SAP service}: SNC has no credentials',
      summary:
        'SNC reports "No credentials were supplied"{targetClause}, and the CommonCryptoLib trace shows why: requesting a Kerberos ticket for {spn|the service principal} failed{userClause}{statusClause}. Not an X.509 problem: no PSE or certificate is involved.',
      steps: [
        'Register the service principal name on the account that runs the SAP system: "setspn -S {spn|SAP/<SID>} <domain>\\<service account>" (and check with "setspn -Q {spn|SAP/<SID>}" that it exists only once).',
        'For SSO through a gateway/service (impersonation), allow that account to delegate to {spn|the SPN} (constrained delegation in Active Directory).',
        "Check that the SNC name used by the client (e.g. {target|p:CN=<SID>}) matches the server's snc/identity/as.",
      ],
      confirm: [
        'The sectrace shows the ticket request succeeding, and the connection is established with SNC.',
      ],
    },
    x509: {
      title: 'SNC has no credentials for {target|the connection}',
      summary:
        '"No credentials were supplied": the process that opens the SNC connection has no SNC identity — for X.509 SNC the SSO credential (cred_v2) for {pseBase|SAPSNCS.pse} is missing for that OS user, or Secure Login Client is not logged on; for Kerberos no ticket was obtained.',
      steps: [
        'Server side (X.509): as <sid>adm run "sapgenpse seclogin -p SAPSNCS.pse -O <sid>adm" in the sec directory (and for the Windows service user SAPService<SID>), then restart.',
        "Front end / RFC client: log on to Secure Login Client (or provide a PSE + cred_v2 for the program's OS user).",
        'Kerberos: check that the user has a ticket (klist) and that the SPN for {target|the target} is registered.',
      ],
      confirm: ['"sapgenpse seclogin -l" lists a credential for the OS user; the SNC connection succeeds.'],
      distinguish:
        'A CommonCryptoLib sectrace (SAP Note 2491573) shows whether Kerberos ticket requests or X.509 credential lookups fail.',
    },
    secudir: {
      title: 'The process may not find its SNC PSE (SECUDIR)',
      summary:
        'The same message appears when the credential exists but the process looks in another directory: SECUDIR of the OS user or RFC program does not point to the sec directory that holds {pseBase|SAPSNCS.pse}, or the PSE was never distributed to this server.',
      steps: [
        'As the OS user that runs the process, check SECUDIR (instance profile SETENV_… SECUDIR=$(DIR_INSTANCE)$(DIR_SEP)sec, or the environment of the RFC program) and that {pseBase|SAPSNCS.pse} and cred_v2 are in that directory.',
        'If the PSE is missing there, distribute it from STRUST (SNC SAPCryptolib) or create it.',
      ],
      confirm: ['SECUDIR names the directory with the PSE and cred_v2; the SNC connection succeeds.'],
      distinguish:
        'The SECUDIR of the process (`echo $SECUDIR` as that user) is not the directory holding the PSE.',
    },
    stale: {
      title: 'cred_v2 may no longer open the SNC PSE (PSE replaced or PIN changed)',
      summary:
        'A credential created with sapgenpse seclogin stops working when {pseBase|SAPSNCS.pse} is replaced (new STRUST PSE, system copy) or its PIN changes; SNC then has no usable credential although cred_v2 exists.',
      steps: [
        'As the OS user: "sapgenpse seclogin -l" lists the credentials; if the PSE is listed, run "sapgenpse get_my_name -p {pseBase|SAPSNCS.pse}" without a PIN — when that fails, create the credential again ("sapgenpse seclogin -p {pseBase|SAPSNCS.pse} -O <user>"; the PIN is asked for, never put it on the command line).',
      ],
      confirm: ['"sapgenpse get_my_name" opens the PSE without a PIN; the SNC connection succeeds.'],
      distinguish: 'seclogin lists the PSE, but get_my_name without a PIN fails as that user.',
    },
    name: {
      title: 'The SNC name may not match the identity that has credentials',
      summary:
        'No credential matches {target|the SNC name used}: snc/identity/as (or the SNC name of the front end) names another identity than the certificate in {pseBase|SAPSNCS.pse} or the Kerberos principal of the service.',
      steps: [
        'Compare snc/identity/as (RZ11) with the own certificate ("sapgenpse get_my_name -p {pseBase|SAPSNCS.pse} -v") or the service principal; for a client, compare the SNC name in SAP Logon / SM59 with the server\'s snc/identity/as.',
      ],
      confirm: ['The names are equal; the SNC connection succeeds.'],
      distinguish:
        'The name in the trace (target=…) differs from the subject of the own certificate or the principal.',
    },
  }),
  check({ events }, { report }) {
    const kerberos = events['kerberos-failure'] as KerberosFailureEvent[];
    const sncs = (events['snc-failure'] as SncFailureEvent[]).filter(
      (e) =>
        /no credentials were supplied/i.test(`${e.gssMajor ?? ''} ${e.errorDetail ?? ''}`) ||
        e.gssMinor?.code?.toUpperCase() === 'A2200019',
    );
    const krb = kerberos.find((k) => k.spn) ?? kerberos[0];
    const pse = describePse('SAPSNCS.pse');
    if (krb) {
      const list: EvidenceEvent[] = [...sncs, ...kerberos];
      report({
        message: 'kerberos',
        data: {
          spn: krb.spn,
          target: sncs[0]?.sncTarget,
          targetClause: sncs[0]?.sncTarget ? ` for ${sncs[0].sncTarget}` : undefined,
          userClause: krb.user ? ` (user ${krb.user})` : undefined,
          statusClause: krb.status
            ? `: ${krb.status}${krb.statusText ? ` ${krb.statusText.endsWith('.') ? krb.statusText.slice(0, -1) : krb.statusText}` : ''}`
            : undefined,
        },
        cause: 'snc-credentials',
        confidence: sncs.length > 0 ? 'certain' : 'likely',
        severity: 'error',
        role: sncs[0]?.role ?? 'client',
        ...(sncs[0]?.error ? { errorCode: sncs[0].error } : {}),
        events: list,
        kb: ['SNCERR_GSSAPI'],
      });
      return;
    }
    for (const ev of sncs) {
      const common = {
        data: { target: ev.sncTarget, pseBase: pse.basename },
        severity: 'error' as const,
        role: ev.role ?? 'client',
        pse: toReportPse(pse, true),
        ...(ev.error ? { errorCode: ev.error } : {}),
        events: [ev],
      };
      // A Secure Login Client abort (A2200019) is the user's side only.
      if (ev.gssMinor?.code?.toUpperCase() === 'A2200019') {
        report({ message: 'x509', cause: 'snc-credentials', confidence: 'likely', ...common });
        continue;
      }
      // The same text has other causes practitioners meet: the PSE not found, a stale cred_v2, a name
      // that matches no credential. A minor text that names the PIN or a PSE it cannot find says which.
      const lead = leadOf(ev.gssMinor?.text);
      const all = [
        { message: 'x509', cause: 'snc-credentials' },
        { message: 'secudir', cause: 'pse-missing' },
        { message: 'stale', cause: 'pse-credential' },
        { message: 'name', cause: 'snc-name' },
      ] as const;
      const ordered = lead
        ? [...all.filter((r) => r.cause === lead), ...all.filter((r) => r.cause !== lead)]
        : all;
      ordered.forEach((r, i) => {
        report({
          message: r.message,
          cause: r.cause,
          confidence: i === 0 ? 'likely' : 'possible',
          ...common,
        });
      });
    }
  },
});
