/**
 * @module SNC name, user mapping or ACL mismatch: A2200202, "not in system ACL", SNC015, and names the sectrace shows that do not fit.
 *
 * A GSS display name in the server's sectrace is the name SAP maps to a user (SU01 → SNC). A doubled
 * realm (`USER@SUB.DOMAIN@DOMAIN`) shows an unmapped cloud identity; a clean name is only a lead: the
 * diagnosis is the comparison with the user's SNC name.
 */
import type { EvidenceEvent, SncFailureEvent, SncNameEvent } from '../../model/evidence.js';
import { sameDn } from '../../pki/dn.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { toReportPse, traceInfoFor } from '../failure-facts.js';

/**
 * Whether two SNC names are one: as DNs (pki/dn.ts: any order and spelling of the attributes) without the
 * p: prefix, or, for names that are no DN (p:DOMAIN\user), as text without case and spaces.
 */
function sameSncName(a: string, b: string): boolean {
  const bare = (n: string) => n.replace(/^p:/i, '').trim();
  const text = (n: string) =>
    bare(n)
      .replace(/\s*([,=])\s*/g, '$1')
      .toLowerCase();
  return sameDn(bare(a), bare(b)) || text(a) === text(b);
}

export default defineRule({
  id: 'snc-name-mismatch',
  causes: ['snc-name'],
  needs: ['snc-failure', 'snc-name'],
  uses: ['trace-info'],
  kb: ['SNC015', 'A2200202', 'SNC0', 'SU01', 'SAPSNCS.pse'],
  rank: 6,
  messages: () => ({
    doubledRealm: {
      title: 'The Kerberos name arriving at SAP has a doubled realm: {name}',
      summary:
        'The SNC name the server received, {name}, carries two realms. The caller (typically a gateway impersonating a cloud/UPN identity) presented a name that is not the on-premises AD account, so no SAP user maps to it.',
      steps: [
        'On the gateway / client side, map the cloud (UPN) identity to the on-premises AD account (user-mapping settings of the gateway, or AD UPN suffixes).',
        "Compare with the user's SNC name in SU01 → SNC tab: it must equal the name SAP receives (e.g. p:CN=USER@REALM).",
      ],
      confirm: ['The sectrace shows a single-realm name equal to the SU01 SNC name; the logon succeeds.'],
    },
    compare: {
      title: "Compare the SNC name {name} with the user's SNC name in SU01",
      summary:
        "The server's sectrace shows the authenticated name {name}. The trace itself shows no error: if the SNC logon fails, the user's SNC name (SU01 → SNC tab, or the EXTID mapping) most likely differs from this name.",
      steps: [
        'Open SU01 for the user → SNC tab and compare the SNC name with p:{name} character for character (realm, case, prefix).',
        'Correct the SNC name (or the mapping in VUSREXTID), then log on again.',
      ],
      confirm: ['SU01 shows "canonical name determined" for the SNC name; the SSO logon succeeds.'],
      distinguish:
        'A failing SNC user mapping shows in the security audit log / SM21 with SNC015 "No SAP user found".',
    },
    namesDiffer: {
      title: "The SNC partner name {partner} is not the server's SNC name {own}",
      summary:
        "The caller expects the partner {partner}, but the target system's own SNC identity (snc/identity/as) is {own}: SNC authenticates the partner by that name, so the context cannot be established (with Kerberos the name's SPN is not found, with X.509 the names do not match).",
      steps: [
        "Set the partner name of the destination (SM59 → Logon & Security → SNC, or the client's snc_partnername / SAP Logon entry) to the target's snc/identity/as exactly: {own}.",
        'Or, if the target system should be known by the other name, change its snc/identity/as (and its SNC PSE or Kerberos keytab/SPN to match), then restart it.',
      ],
      confirm: ['The connection test with SNC succeeds.'],
    },
    partnerName: {
      title: 'The SNC partner name does not match {target|the server}',
      summary:
        "{text}: the SNC name the client used for the partner differs from the server's own SNC identity (snc/identity/as), or the partner is not allowed.",
      steps: [
        "Compare the partner name in the destination / SAP Logon entry ({target|SNC name}) with the server's snc/identity/as (RZ11).",
        'For system-to-system SNC, add the partner to the system ACL in SNC0.',
      ],
      confirm: ['The SNC connection is established.'],
    },
  }),
  check({ events }, { report }) {
    const pse = toReportPse(describePse('SAPSNCS.pse'), true);
    for (const ev of events['snc-name'] as SncNameEvent[]) {
      const list: EvidenceEvent[] = [ev];
      const name = ev.name.replace(/^p:/i, '');
      // The acceptor displays the authenticated peer name to map it to a user: the SAP side is the server.
      const common = {
        cause: 'snc-name' as const,
        severity: 'error' as const,
        role: 'server' as const,
        pse,
        events: list,
      };
      if (ev.anomaly === 'doubled-realm' || /@[^@\s]+@/.test(name)) {
        report({ message: 'doubledRealm', data: { name }, confidence: 'likely', ...common });
      } else {
        report({
          message: 'compare',
          data: { name },
          confidence: 'possible',
          ...common,
          severity: 'warning',
        });
      }
    }
    for (const ev of events['snc-failure'] as SncFailureEvent[]) {
      const sncName = {
        cause: 'snc-name' as const,
        severity: 'error' as const,
        role: ev.role ?? ('client' as const),
        pse,
        ...(ev.error ? { errorCode: ev.error } : {}),
        events: [ev],
      };
      // The paste shows the partner name the caller expects and the target's own identity, and they differ.
      const names = traceInfoFor(ev, events['trace-info'])?.sncNames;
      if (names?.partner && names.own && !sameSncName(names.partner, names.own)) {
        report({
          message: 'namesDiffer',
          data: { partner: names.partner, own: names.own },
          confidence: 'certain',
          ...sncName,
        });
        continue;
      }
      const text = [ev.gssMajor, ev.gssMinor?.text, ev.errorDetail, ev.detail, ev.rfcError]
        .filter(Boolean)
        .join(' ');
      const minor = ev.gssMinor?.code?.toUpperCase();
      if (
        minor !== 'A2200202' &&
        // The minor text says a name did not match (the peer's against the partner name expected: its
        // wording varies with the CommonCryptoLib release).
        !/actual server name differs|not in system acl|no sap user found|sncerr_invalid_name|sncerr_bad_nt_prefix|\bname[^\n]{0,40}(?:mismatch|does not match)/i.test(
          `${text} ${ev.error?.name ?? ''}`,
        )
      )
        continue;
      report({
        message: 'partnerName',
        data: {
          target: ev.sncTarget,
          text: ev.gssMinor?.text ?? ev.errorDetail ?? ev.error?.name ?? 'SNC name error',
        },
        confidence: 'likely',
        ...sncName,
      });
    }
  },
});
