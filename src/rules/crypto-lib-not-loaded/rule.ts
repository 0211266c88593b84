/** @module The crypto library (CommonCryptoLib / sapcrypto, SNC GSS library) cannot be found, loaded or initialised. */
import type { EvidenceEvent, LibLoadFailureEvent, SncFailureEvent } from '../../model/evidence.js';
import { defineRule } from '../define.js';
import { failureData, failureParts } from '../failure-facts.js';
import { sslCodeOf } from '../sap-codes.js';

const SSL_LIB_CODES = new Set([
  'LIB_NOT_FOUND',
  'INCOMPATIBLE_LIB',
  'LIBINIT_FAILED',
  'INIT_FIRST',
  'SAPPARAM_MISSING',
]);

/** What the OS error says about the library. */
function osReason(
  code: string | undefined,
  text: string | undefined,
): 'access' | 'architecture' | 'missing' | 'other' {
  const t = `${code ?? ''} ${text ?? ''}`.toLowerCase();
  if (/access is denied|permission denied|\beacces\b|dlenoaccess|^\s*5\b/.test(t)) return 'access';
  if (/\b193\b|not a valid win32|wrong elf class|architecture|is no v/.test(t)) return 'architecture';
  if (/\b126\b|not found|no such file|cannot find|\b2\b/.test(t)) return 'missing';
  return 'other';
}

const FIX: Record<string, string> = {
  access:
    'Grant the operating-system user that loads it (<sid>adm / SAPService<SID>, or the impersonated users of a gateway) read and execute rights on {library|the library}, on sapcrypto.ini beside it and on their folder; if the file itself is the wrong one, the profile names the one to load (ssl/ssl_lib for SSL, snc/gssapi_lib for SNC).',
  architecture:
    'The library has the wrong architecture (32-bit vs 64-bit, error 193): use the 64-bit library for 64-bit programs (SNC_LIB_64 vs SNC_LIB on clients; snc/gssapi_lib on the server).',
  missing:
    'Install CommonCryptoLib (SAPCRYPTOLIB SAR) into the kernel directory (DIR_EXECUTABLE), or correct the path in the profile (ssl/ssl_lib, sec/libsapsecu, ssf/ssfapi_lib, snc/gssapi_lib; SNC_LIB on clients).',
  other:
    'Check that the library named in the profile exists, is current CommonCryptoLib (SAP Note 1848999) and matches the kernel; update it per SAP Note 2450794.',
};

export default defineRule({
  id: 'crypto-lib-not-loaded',
  causes: ['lib-not-found'],
  needs: ['lib-load-failure', 'ssl-failure', 'snc-failure'],
  kb: ['DLENOACCESS', 'SSSLERR_LIB_NOT_FOUND', 'SNCERR_INIT', 'ssl/ssl_lib', 'snc/gssapi_lib'],
  citation: ['SAP Note 1848999'],
  rank: 3,
  messages: () => ({
    notLoaded: {
      title: 'The crypto library {libName|(CommonCryptoLib)} cannot be loaded{reasonClause}',
      summary:
        '{errorName|The library load} failed{osClause}. Without the library there is no TLS/SNC at all, so no certificate or PSE setting can matter yet.',
      steps: [
        FIX.access as string,
        'Check that {library|the library} is the intended CommonCryptoLib and not a stray copy (a desktop or download folder is a sign of a manual copy).',
        'Restart the program (work process / ICM / gateway service) after the change.',
      ],
      confirm: [
        'The trace shows the library loaded (dev_icm: "SapCryptoLib SSL ready", or SNC initialised) and the call proceeds.',
      ],
    },
    wrongArch: {
      title: 'The library {libName|for SNC} has the wrong architecture (32/64-bit)',
      summary:
        '{errorName|Loading the library} failed{osClause}: a 32-bit program cannot load a 64-bit library and vice versa.',
      steps: [FIX.architecture as string, 'Restart the program after the change.'],
      confirm: ['SNC/SSL initialises without the load error.'],
    },
    missing: {
      title: 'The crypto library {libName|(CommonCryptoLib)} is missing or not configured',
      summary: '{who} reports that the library could not be found or initialised{osClause}.',
      steps: [
        FIX.missing as string,
        FIX.other as string,
        'Restart the program that loads it after the change (the ICM or instance; an RFC client or sapgenpse reads it at its next start).',
      ],
      confirm: [
        'The program loads the library: dev_icm shows "SapCryptoLib SSL ready" after the restart, an SNC client connects, sapgenpse runs.',
      ],
    },
  }),
  check({ events }, { report }) {
    const handle = (
      ev: EvidenceEvent,
      library: string | undefined,
      errorName: string | undefined,
      osCode: string | undefined,
      osText: string | undefined,
      extra: Record<string, unknown> = {},
    ) => {
      const reason = osReason(osCode ?? errorName, osText);
      const message = reason === 'access' ? 'notLoaded' : reason === 'architecture' ? 'wrongArch' : 'missing';
      const libName = library?.split(/[/\\]/).pop();
      const purpose =
        (ev as Partial<LibLoadFailureEvent>).purpose ?? (ev.kind === 'snc-failure' ? 'snc' : undefined);
      report({
        message,
        data: {
          library,
          libName,
          errorName,
          who:
            errorName ??
            (purpose === 'snc'
              ? 'The SNC layer'
              : ev.kind === 'lib-load-failure' && !purpose
                ? 'The program'
                : 'The SSL layer'),
          osClause:
            osCode || osText ? ` (OS error ${[osCode, osText].filter(Boolean).join(' ')})` : undefined,
          reasonClause: reason === 'access' ? ': access denied' : undefined,
        },
        cause: 'lib-not-found',
        confidence: 'certain',
        severity: 'error',
        events: [ev],
        ...extra,
      });
    };
    for (const ev of events['lib-load-failure'] as LibLoadFailureEvent[]) {
      const snc = (events['snc-failure'] as SncFailureEvent[]).find(
        (s) => s.source.input === ev.source.input && s.library === ev.library,
      );
      handle(ev, ev.library, ev.error?.name ?? snc?.error?.name, ev.osError?.code, ev.osError?.text, {
        ...(ev.error
          ? { errorCode: ev.error, kb: [ev.error.name] }
          : snc?.error
            ? { errorCode: snc.error }
            : {}),
        ...(snc?.role ? { role: snc.role } : {}),
        ...(snc ? { events: [ev, snc] } : {}),
      });
    }
    const loadFailures = events['lib-load-failure'] as LibLoadFailureEvent[];
    for (const ev of events['snc-failure'] as SncFailureEvent[]) {
      if (ev.error?.name !== 'SNCERR_INIT' && !/unable to load gss-api/i.test(ev.errorDetail ?? '')) continue;
      // The same load failure already reported from its DlLoadLib/LoadLibrary line.
      if (loadFailures.some((l) => l.source.input === ev.source.input && l.library === ev.library)) continue;
      handle(
        ev,
        ev.library,
        ev.error?.name ?? 'SNCERR_INIT',
        undefined,
        [ev.detail, ev.errorDetail].filter(Boolean).join(' '),
        {
          role: ev.role ?? 'client',
          errorCode: ev.error ?? { name: 'SNCERR_INIT' },
        },
      );
    }
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      if (!code || !SSL_LIB_CODES.has(code)) continue;
      const parts = failureParts(ev);
      handle(ev, undefined, failureData(ev).code, undefined, ev.errorText, { ...parts, events: [ev] });
    }
  },
});
