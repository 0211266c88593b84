/** @module The PSE a call needs does not exist or cannot be opened (-40, -42, -31, ICM 414, sapgenpse "Couldn't open PSE", wrong PIN, cred_v2). */

import { sapSslNumber } from '../../codes/sap-codes.js';
import type { Cause, Confidence } from '../../model/cause.js';
import type { EvidenceEvent, PseProblemEvent, SapgenpseEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule, type StepTemplate } from '../define.js';
import { failureData, failureParts, toReportPse } from '../failure-facts.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';

/** The message id of each problem with a PSE pse-doctor could not open: each has its own hint. */
const PROBLEM_MESSAGE = {
  'pin-required': 'pinRequired',
  'wrong-pin': 'wrongPin',
  lps: 'lps',
  'cred-v2': 'credV2',
  corrupt: 'corrupt',
  'not-a-pse': 'notAPse',
  unsupported: 'unsupported',
} as const satisfies Record<PseProblemEvent['problem'], string>;

/** The problem in words, for the summary. */
const PROBLEM_WORDS: Record<PseProblemEvent['problem'], string> = {
  'pin-required': 'it needs its PIN',
  'wrong-pin': 'the PIN does not open it',
  lps: 'it is protected by LPS',
  'cred-v2': 'it is the SSO credential file cred_v2',
  corrupt: 'the file is damaged or cut',
  'not-a-pse': 'the file is not a PSE',
  unsupported: 'its format is not supported',
};

const PROBLEM_TITLE = '{file|A PSE} could not be opened here: {problem}';
const PROBLEM_SUMMARY =
  'pse-doctor could not read {file|the PSE} ({problem}), so its certificate list was not checked.';

/** What to do, per problem (`{base|<PSE>}` is the file name). */
const PROBLEM_HINTS: Record<PseProblemEvent['problem'], StepTemplate> = {
  'pin-required': {
    text: 'The PSE is protected by a PIN. Give it with --pin-file <file> or the PSE_DOCTOR_PIN variable (never on the command line), or at the prompt; the PIN is used only to open the file and is never stored or printed. Without the PIN, run "sapgenpse maintain_pk -l -p {base|<PSE>}" on the application server (its cred_v2 opens the PSE) and give pse-doctor that listing.',
    web: 'The PSE is protected by a PIN. Type it in the PIN field and open it again; the PIN is used only to open the file and is never stored. Without the PIN, run "sapgenpse maintain_pk -l -p {base|<PSE>}" on the application server (its cred_v2 opens the PSE) and analyze that listing here.',
    action: { kind: 'field', page: 'pse' },
  },
  'wrong-pin':
    'The PIN given does not open {base|<PSE>}. Use the PIN set when the PSE was created (STRUST → the node → "Assign password" sets a new one); on the application server the SSO credential opens it without a PIN: "sapgenpse maintain_pk -l -p {base|<PSE>}" there, and give pse-doctor that listing.',
  lps: 'The PSE is protected by LPS (Local Protection Storage), which ties it to the host that created it: no PIN opens it elsewhere. Run "sapgenpse maintain_pk -l -p {base|<PSE>}" (and "sapgenpse get_my_name -p {base|<PSE>} -v") as <sid>adm on that application server and give pse-doctor the output.',
  'cred-v2':
    'This is cred_v2, the SSO credential file, not a PSE: it holds the PINs that let <sid>adm open the PSEs without typing them. Give pse-doctor the PSE files themselves (SAPSSLC.pse, SAPSSLA.pse, SAPSSLS.pse… from the same sec directory); "sapgenpse seclogin -l" lists which PSEs it covers.',
  corrupt:
    'The file is damaged or cut: copy it again in binary mode (scp/sftp binary, not FTP text mode or an editor), or download it from STRUST (PSE → Export); compare its size with the original in the sec directory.',
  'not-a-pse':
    'The file is not a PSE (empty, text, or another format). Take the PSE file from the sec directory (SECUDIR) of the application server, or export it in STRUST; for a certificate list, a PEM file or "sapgenpse maintain_pk -l" output works too.',
  unsupported:
    'pse-doctor cannot read this PSE layout or encryption. Run "sapgenpse maintain_pk -l -p {base|<PSE>}" on the application server and give pse-doctor that listing instead; it shows the same certificate list.',
};

/** Words of a trace line saying a PSE needs its PIN or an SSO credential (cred_v2) that is not there. */
const PIN_WORDS = /\bPIN\b|\bcred_v2\b|\bseclogin\b|\bSSO credential/i;

/** A failure's text saying a PSE could not be opened (the reader's PSE_OPEN_FAILED lines). */
const NOT_OPENED =
  /could not be opened|cannot be opened|could not be loaded|cannot be loaded|not available|not found|no (?:SSO[ -])?credentials? (?:were )?(?:available|found)|(?:cannot|can't|could not|couldn't|unable to|failed to) (?:open|load|read) (?:the )?(?:SSL )?(?:server |client )?PSE/i;
/** Words of a reason saying the file is not there. */
const MISSING_WORDS = /not found|no such file|does not exist|missing|\(2\/0x0*2\)/i;

/** The failure's data with its code as a clause of the title (` (SSSLERR_PSE_ERROR (-40))`, or nothing). */
function pseData(ev: Parameters<typeof failureData>[0]): Record<string, string | undefined> {
  const data = failureData(ev);
  return { ...data, codeClause: data.code ? ` (${data.code})` : undefined };
}

/** Whether the failure's SapSSL code is one of the documented ones (not a name the paste made up). */
function knownCode(ev: EvidenceEvent): boolean {
  const name = ev.kind === 'ssl-failure' ? ev.error?.name : undefined;
  return name !== undefined && sapSslNumber(name) !== undefined;
}

/** The reason a failure's own lines give (its error text and detail lines). */
function reasonOf(ev: EvidenceEvent): string {
  if (ev.kind !== 'ssl-failure') return '';
  return [ev.errorText ?? '', ...(ev.details ?? [])].join(' ');
}

export default defineRule({
  id: 'pse-unavailable',
  causes: ['pse-missing', 'pse-credential'],
  needs: ['ssl-failure', 'pse-problem', 'sapgenpse'],
  kb: ['SSSLERR_PSE_ERROR', 'SSSLERR_CRED_NOT_FOUND', 'ICM_HTTP_SSL_CRED_NOT_FOUND', 'STRUST', 'cred_v2'],
  rank: 2,
  messages: () => ({
    credNotFound: {
      title: 'The SSL client PSE chosen for {hostPort|the call} does not exist on this server',
      summary:
        '{code|The ICM} reports that the SSL credential (PSE) the destination names could not be found: the SSL client identity selected in SM59 / the logical port has no PSE file on this application server.',
      steps: [
        'Check the destination (SM59 → Logon & Security → SSL Certificate{identityClause}) and open {identity|that SSL client identity} in STRUST: create the PSE if it is missing, and distribute it to all application servers.',
        'Save in STRUST; restart the ICM if TRUST086 does not appear.',
      ],
      confirm: [
        'The file SAPSSL<ID>.pse exists in the sec directory of each application server; the call passes the handshake set-up.',
      ],
    },
    pseError: {
      title: 'The PSE {pseFile|of the call} cannot be used{codeClause}',
      summary:
        'The SSL layer could not use {pseFile|the PSE}: it is missing, unreadable for <sid>adm, protected by a PIN without SSO credential (cred_v2), or its own certificate is expired.',
      steps: [
        'Check in STRUST that the node exists and has a valid own certificate; check the file exists in the sec directory with read rights for <sid>adm.',
        'If the PSE has a PIN, create the SSO credential: "sapgenpse seclogin -p {pseBase|<PSE>} -O <sid>adm".',
      ],
      confirm: ['dev_icm shows no PSE error after an ICM restart.'],
    },
    pseCredential: {
      title: 'The PSE {pseFile|of the call} has a PIN and no SSO credential (cred_v2) opens it{codeClause}',
      summary:
        'The SSL layer could not open {pseFile|the PSE}: the trace says it is protected by a PIN, and cred_v2 in the sec directory holds no credential for the OS user of the instance (<sid>adm) — typical after PSE files were copied from another system or the PIN was changed.',
      steps: [
        'As <sid>adm (on Windows also as SAPService<SID>) in the sec directory: "sapgenpse seclogin -p {pseBase|<PSE>} -x <PIN> -O <sid>adm" writes the credential to cred_v2; "sapgenpse seclogin -l" lists the PSEs it covers.',
        'Better for PSEs STRUST manages: create or replace them in STRUST of this system (it writes them without a PIN or with its own credential) instead of copying files from another system; then restart the ICM.',
      ],
      confirm: [
        'dev_icm shows no PSE error after an ICM restart; "sapgenpse get_my_name -p {pseBase|<PSE>}" opens it without -x.',
      ],
    },
    openFailed: {
      title: 'sapgenpse cannot open {file|the PSE}{reasonClause}',
      summary: '{message}',
      steps: [
        '"Decoding error" usually means a wrong PIN/passphrase or a file that is not a PSE (truncated copy, cred_v2, a PKCS#12 file): retry with the right PIN (-x) or check the file.',
        'For LPS-protected PSEs run sapgenpse on the host that created them.',
      ],
    },
    pinNeeded: {
      title: 'sapgenpse needs the PIN of {file|the PSE}: no SSO credential (cred_v2) opens it',
      summary:
        '{message}: the PSE has a PIN and the OS user running sapgenpse has no entry for it in cred_v2 (sapgenpse seclogin -l lists the PSEs it covers), so every tool without the PIN — sapgenpse, the ICM, SNC — fails to open it.',
      steps: [
        'As <sid>adm (and on Windows also as SAPService<SID>), in the sec directory: "sapgenpse seclogin -p {base|<PSE>} -x <PIN> -O <sid>adm" writes the credential to cred_v2; "sapgenpse seclogin -l" then lists it.',
        'If the PIN is not known any more, set a new one in STRUST (the node → Assign password) and run seclogin again; restart the ICM or the instance so it opens the PSE with the new credential.',
      ],
      confirm: ['"sapgenpse get_my_name -p {base|<PSE>}" opens the PSE without -x.'],
    },
    notFound: {
      title: 'sapgenpse does not find {file|the PSE}',
      summary:
        '{message}: sapgenpse looks for a PSE given without a path in SECUDIR (the sec directory of the instance, /usr/sap/<SID>/<instance>/sec) and, when SECUDIR is not set in the shell, elsewhere (the current or home directory).',
      steps: [
        'Run sapgenpse as <sid>adm with SECUDIR set to the sec directory of the instance: echo $SECUDIR (Windows: echo %SECUDIR%), else export SECUDIR=/usr/sap/<SID>/<instance>/sec — or give the PSE with its full path (-p /usr/sap/<SID>/<instance>/sec/{base|<PSE>}).',
        'If the file is really missing there, create or distribute the PSE in STRUST (it writes the file to the sec directory of every application server) instead of copying files by hand.',
      ],
      confirm: ['"sapgenpse get_my_name -p {base|<PSE>}" run in the same shell opens the PSE.'],
    },
    noCredentials: {
      title: 'No SSO credentials (cred_v2) for the OS user {user|running sapgenpse}',
      summary: '{message}: without cred_v2 the PSE can only be opened with its PIN.',
      steps: [
        'Create the credential as that OS user: "sapgenpse seclogin -p <PSE> -O <user>" (or pass the PSE and PIN explicitly).',
      ],
    },
    pinRequired: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS['pin-required']] },
    wrongPin: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS['wrong-pin']] },
    lps: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS.lps] },
    credV2: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS['cred-v2']] },
    corrupt: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS.corrupt] },
    notAPse: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS['not-a-pse']] },
    unsupported: { title: PROBLEM_TITLE, summary: PROBLEM_SUMMARY, steps: [PROBLEM_HINTS.unsupported] },
  }),
  check({ events }, { report }) {
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const icm = icmNumberOf(ev);
      const parts = failureParts(ev);
      if (code === 'CRED_NOT_FOUND' || icm === 414) {
        const identity = ev.kind === 'ssl-failure' ? ev.clientIdentity : undefined;
        report({
          message: 'credNotFound',
          data: {
            ...failureData(ev),
            identity: identity ? `the SSL client identity ${identity}` : undefined,
            identityClause: identity ? `: ${identity}` : undefined,
          },
          cause: 'pse-missing',
          confidence: 'certain',
          severity: 'error',
          ...parts,
        });
      } else if ((code === 'PSE_ERROR' || code === 'ROLE_NOT_AVAIL') && PIN_WORDS.test(reasonOf(ev))) {
        // The trace says why: the PSE has a PIN and no SSO credential (cred_v2) opens it for <sid>adm.
        report({
          message: 'pseCredential',
          data: pseData(ev),
          cause: 'pse-credential',
          confidence: 'likely',
          severity: 'error',
          ...parts,
        });
        report({
          message: 'pseError',
          data: pseData(ev),
          cause: 'pse-missing',
          confidence: 'possible',
          severity: 'error',
          ...parts,
        });
      } else if (
        (code === undefined || !knownCode(ev)) &&
        icm === undefined &&
        ev.pseFile &&
        NOT_OPENED.test(reasonOf(ev))
      ) {
        // The trace names the PSE it could not open and why, without a SapSSL code this rule knows (the
        // ICM's HTTPS server at start): a PIN without an SSO credential, else a missing or unreadable file.
        const reason = reasonOf(ev);
        const pin = PIN_WORDS.test(reason);
        const missing = MISSING_WORDS.test(reason);
        const order: ReadonlyArray<readonly ['pseCredential' | 'pseError', Cause, Confidence]> = pin
          ? [
              ['pseCredential', 'pse-credential', 'likely'],
              ['pseError', 'pse-missing', 'possible'],
            ]
          : [
              ['pseError', 'pse-missing', 'likely'],
              ...(missing ? [] : [['pseCredential', 'pse-credential', 'possible'] as const]),
            ];
        const kb = missing ? ['SAP_PSE_FILE_NOT_FOUND'] : pin ? ['SAPGENPSE_PIN_REQUIRED'] : [];
        for (const [message, cause, confidence] of order)
          report({
            message,
            data: pseData(ev),
            cause,
            confidence,
            severity: 'error',
            ...parts,
            kb: [...kb, ...(parts.kb ?? [])],
          });
      } else if (code === 'PSE_ERROR' || code === 'ROLE_NOT_AVAIL') {
        report({
          message: 'pseError',
          data: pseData(ev),
          cause: 'pse-missing',
          confidence: 'likely',
          severity: 'error',
          ...parts,
        });
      }
    }
    const PIN_TEXT = /wrong pin|decoding error|pin required/i;
    // Inputs where sapgenpse also said why it could not open a PSE (its "-> Wrong PIN or password" line
    // after "Couldn't open PSE"): the bare open failure is that same failure, not a missing file.
    const pinInputs = new Set(
      (events.sapgenpse as SapgenpseEvent[])
        .filter((e) => e.error && PIN_TEXT.test(`${e.error.message} ${e.error.reason ?? ''}`))
        .map((e) => e.source.input),
    );
    for (const ev of events.sapgenpse as SapgenpseEvent[]) {
      if (!ev.error) continue;
      const list: EvidenceEvent[] = [ev];
      const msg = ev.error.message;
      const pse = ev.pseFile ? toReportPse(describePse(ev.pseFile)) : undefined;
      if (/no sso credentials/i.test(msg)) {
        report({
          message: 'noCredentials',
          data: { message: msg, user: ev.ssoUser },
          cause: 'pse-credential',
          confidence: 'likely',
          // Followed by the PIN prompt, the PSE cannot be opened without its PIN: what the ICM meets too.
          severity: /PIN/.test(ev.error.reason ?? '') ? 'error' : 'warning',
          events: list,
        });
      } else if (
        /not found|no such file/i.test(`${msg} ${ev.error.reason ?? ''}`) &&
        !/wrong pin|decoding error|pin required/i.test(`${msg} ${ev.error.reason ?? ''}`)
      ) {
        report({
          message: 'notFound',
          data: {
            file: ev.pseFile,
            message: msg,
            base: ev.pseFile?.split(/[/\\]/).pop(),
          },
          cause: 'pse-missing',
          confidence: 'likely',
          severity: 'error',
          events: list,
          ...(pse ? { pse } : {}),
        });
      } else if (/^pin required/i.test(msg.trim())) {
        report({
          message: 'pinNeeded',
          data: { file: ev.pseFile, message: msg, base: ev.pseFile?.split(/[/\\]/).pop() },
          cause: 'pse-credential',
          confidence: 'likely',
          severity: 'error',
          events: list,
          ...(pse ? { pse } : {}),
        });
      } else if (/couldn'?t open pse|wrong pin|decoding error|pin required/i.test(msg)) {
        const wrongPin = PIN_TEXT.test(`${msg} ${ev.error.reason ?? ''}`);
        if (!wrongPin && pinInputs.has(ev.source.input)) continue;
        report({
          message: 'openFailed',
          data: {
            file: ev.pseFile,
            message: msg,
            reasonClause: ev.error.reason ? ` (${ev.error.reason})` : undefined,
          },
          cause: wrongPin ? 'pse-credential' : 'pse-missing',
          confidence: 'likely',
          severity: 'error',
          events: list,
          ...(pse ? { pse } : {}),
        });
      }
    }
    for (const ev of events['pse-problem'] as PseProblemEvent[]) {
      const list: EvidenceEvent[] = [ev];
      const credential = ['pin-required', 'wrong-pin', 'lps', 'cred-v2'].includes(ev.problem);
      const cause: Cause = credential ? 'pse-credential' : 'pse-missing';
      const confidence: Confidence = ev.problem === 'wrong-pin' ? 'certain' : 'likely';
      report({
        message: PROBLEM_MESSAGE[ev.problem] ?? 'corrupt',
        data: {
          file: ev.file,
          message: ev.message,
          problem: PROBLEM_WORDS[ev.problem],
          base: describePse(ev.file).basename ?? ev.file.split(/[/\\]/).pop(),
        },
        cause,
        confidence,
        severity: 'info',
        events: list,
        pse: toReportPse(describePse(ev.file)),
      });
    }
  },
});
