/**
 * @module Meta-tests of the knowledge base as data: every entry parses against the schema, has its
 * sections, its cross-references resolve, no alias is claimed twice, the facts dossier's codes are all
 * covered, and the compiled dist/kb JSON equals a fresh parse of kb/*.md.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { entryStacks } from './entry-stacks.js';
import {
  compileKnowledgeBase,
  KB_KINDS,
  type KbEntry,
  KnowledgeBase,
  PROBLEM_KINDS,
  readKbDirectory,
  SECTION_HEADINGS,
  validateKnowledgeBase,
} from './index.js';
import { COMPILED_PATHS, compiledKbFiles } from './load-kb.js';
import { checkPattern } from './pattern-check.js';
import { compileRecognizer, storedRecognizerFiles } from './recognize/model.js';
import { buildSearchIndex } from './search-index.js';

const entries = readKbDirectory();
const byId = new Map(entries.map((e) => [e.id, e]));

describe('knowledge base meta', () => {
  test('has well over 150 entries and every kind is used', () => {
    assert.ok(entries.length >= 150, `${entries.length} entries`);
    // `howto` entries (task guides) are added by content work; the parser test covers the kind.
    for (const kind of KB_KINDS.filter((k) => k !== 'howto'))
      assert.ok(
        entries.some((e) => e.kind === kind),
        `no entry of kind ${kind}`,
      );
  });

  test('validates cleanly: unique ids, paths, aliases, numbers and every reference', () => {
    assert.deepEqual(validateKnowledgeBase(entries), []);
  });

  test('every entry has the four required sections, non-empty, with the headings of its kind', () => {
    for (const e of entries) {
      const headings = SECTION_HEADINGS[PROBLEM_KINDS.has(e.kind) ? 'problem' : 'reference'];
      for (const key of ['meaning', 'causes', 'fix', 'confirm'] as const) {
        const s = e.sections.find((x) => x.key === key);
        assert.ok(s, `${e.file}: no ${key}`);
        assert.equal(s.heading, headings[key]);
        const text = s.blocks.map((b) => (b.type === 'list' ? b.items.join(' ') : b.text)).join(' ');
        assert.ok(text.trim().length >= 10, `${e.file}: section ${s.heading} is too thin`);
      }
    }
  });

  test('messages are named class+number; codes with numbers in number spaces are unique', () => {
    for (const e of entries.filter((x) => x.kind === 'message')) {
      assert.equal(e.id.replace(/\//g, ''), `${e.messageClass}${e.messageNumber}`.replace(/\//g, ''), e.file);
    }
    for (const e of entries.filter((x) => x.family === 'TLS_ALERT')) {
      assert.match(e.id, /^TLS_ALERT_[A-Z_]+$/);
      assert.equal(typeof e.number, 'number', e.id);
    }
  });

  test('entries that flag the number as uncertain do not state one', () => {
    for (const e of entries.filter((x) => x.uncertain.includes('number'))) {
      assert.equal(e.number, undefined, e.id);
    }
  });

  test('"next" commands are pse-doctor commands that exist', () => {
    const commands = new Set(['analyze', 'probe', 'pse', 'cert', 'verify', 'explain']);
    for (const e of entries) {
      for (const cmd of e.next) {
        const m = /^pse-doctor (\S+)/.exec(cmd);
        assert.ok(m && commands.has(m[1]!), `${e.id}: "${cmd}"`);
      }
    }
  });

  test('validation catches a duplicated alias, a dangling reference and a wrong path', () => {
    const a = byId.get('WSS040')!;
    const b: KbEntry = {
      ...byId.get('TRUST004')!,
      aliases: ['wss 040'],
      related: ['NO_SUCH_ID'],
      file: 'kb/code/x.md',
    };
    const problems = validateKnowledgeBase([a, b]).join('\n');
    assert.match(problems, /alias key "WSS040" also claimed by WSS040/);
    assert.match(problems, /related id "NO_SUCH_ID" has no entry/);
    assert.match(problems, /belongs in kb\/message\/TRUST004\.md/);
  });
});

describe('coverage of the facts dossier', () => {
  const SSSLERR: Array<[string, number | undefined]> = [
    ['LIB_NOT_FOUND', -1],
    ['INCOMPATIBLE_LIB', -2],
    ['LIBINIT_FAILED', -3],
    ['OUT_OF_MEMORY', -4],
    ['FUNC_ARGS', -5],
    ['INIT_FIRST', -6],
    ['NOT_YET_IMPLEMENTED', -7],
    ['INTERNAL_BUG', -8],
    ['UNKNOWN_BEHAVIOUR', -9],
    ['CONN_CLOSED', -10],
    ['SERVER_ONLY', -11],
    ['CLIENT_ONLY', -12],
    ['NO_CONTEXT_YET', -13],
    ['BAD_SSSL_HDL', -14],
    ['BAD_AUTH_TYPE', -15],
    ['BAD_ROLE', -16],
    ['SESSION_NOT_STARTED', -17],
    ['SESSION_ALREADY_STARTED', -18],
    ['PEER_INFO_FAILED', -19],
    ['NO_CLIENT_CERT', -20],
    ['NO_SERVER_CERT', -21],
    ['SAPPARAM_MISSING', -22],
    ['NEED_NI_HDL', -23],
    ['BAD_NI_HDL', -24],
    ['NO_SSL_REQUEST', -25],
    ['HTTP_REQUEST', -26],
    ['HTTPS_PROXY_REQUEST', -27],
    ['MISSING_TARGET_HOSTNAME', -28],
    ['THREAD_MALFUNCT', -29],
    ['SERVER_CERT_MISMATCH', -30],
    ['ROLE_NOT_AVAIL', -31],
    ['PSE_ERROR', -40],
    ['FILENAME_TRUNCATED', -41],
    ['CRED_NOT_FOUND', -42],
    ['NOT_SUPPORTED_BY_SECUDE', -43],
    ['NOT_IMPLEMENTED_SERVER', -44],
    ['NOT_IMPLEMENTED_CLIENT', -45],
    ['CERT_FILE', -50],
    ['PRIVKEY_FILE', -51],
    ['CERT_PRIVKEY_MISMATCH', -52],
    ['SSL_SET_SSL_METHOD', -53],
    ['SSLCTX_NEW', -54],
    ['SSL_NEW', -55],
    ['SSL_ACCEPT', -56],
    ['SSL_CONNECT', -57],
    ['SSL_READ', -58],
    ['SSL_WRITE', -59],
    ['BAD_X500DN_IN_CERT', -80],
    ['PEER_CERT_UNTRUSTED', -102],
    ['ALERT_HANDSHAKE_FAILURE', -122],
    ['EWOULDBLOCK', -71],
    ['PEER_CERT_EXPIRED', undefined],
    ['ALERT_PROTOCOL_VERSION', undefined],
    ['NO_SSL_RESPONSE', undefined],
  ];
  test('every SSSLERR_ code of §1.1 and §1.2 has an entry with its number (or flags it unknown)', () => {
    for (const [name, number] of SSSLERR) {
      const e = byId.get(`SSSLERR_${name}`);
      assert.ok(e, `SSSLERR_${name}`);
      assert.equal(e.number, number, e.id);
      if (number === undefined) assert.ok(e.uncertain.includes('number'), e.id);
    }
  });

  test('every ICM_HTTP_ code has an entry reachable as SCLNT_HTTP<number>', () => {
    const kb = new KnowledgeBase(entries);
    const icm = [
      400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 426,
    ];
    for (const n of icm) {
      const e = kb.getByNumber('icm', n);
      assert.ok(e?.id.startsWith('ICM_HTTP_'), `ICM ${n}`);
      assert.equal(kb.getEntry(`SCLNT_HTTP${n}`), e);
    }
  });

  test('every TLS alert of §2.2 has an entry with its RFC number', () => {
    const alerts: Record<string, number> = {
      HANDSHAKE_FAILURE: 40,
      BAD_CERTIFICATE: 42,
      UNSUPPORTED_CERTIFICATE: 43,
      CERTIFICATE_REVOKED: 44,
      CERTIFICATE_EXPIRED: 45,
      CERTIFICATE_UNKNOWN: 46,
      ILLEGAL_PARAMETER: 47,
      UNKNOWN_CA: 48,
      DECODE_ERROR: 50,
      DECRYPT_ERROR: 51,
      PROTOCOL_VERSION: 70,
      INTERNAL_ERROR: 80,
      INAPPROPRIATE_FALLBACK: 86,
      UNSUPPORTED_EXTENSION: 110,
      UNRECOGNIZED_NAME: 112,
      // RFC 8446 §6: certificate_required is 116 (the dossier's 115 is unknown_psk_identity).
      CERTIFICATE_REQUIRED: 116,
      NO_APPLICATION_PROTOCOL: 120,
    };
    for (const [name, n] of Object.entries(alerts))
      assert.equal(byId.get(`TLS_ALERT_${name}`)?.number, n, name);
  });

  test('messages, SNC, PSE files, parameters and transactions named in the dossier have entries', () => {
    const ids = [
      'TRUST004',
      'TRUST022',
      'TRUST037',
      'TRUST057',
      'TRUST071',
      'TRUST085',
      'TRUST086',
      'TRUST202',
      '1S540',
      '1S542',
      'SSFR031',
      'SSFR522',
      'WSS040',
      'SLDAP_ICM013',
      '/UI2/INTEROP128',
      'SUSR_CERT116',
      'SNC014',
      'SNC015',
      'SNC016',
      'SNC017',
      'SNC018',
      'SNCERR_GSSAPI',
      'SNCERR_INIT',
      'SNCERR_UNKNOWN_MECH',
      'SNCERR_INVALID_NAME',
      'SNCERR_BAD_NT_PREFIX',
      'DLENOACCESS',
      'A2200019',
      'A2200210',
      'A2210210',
      'A2200202',
      'A2210223',
      'SNC_PARTNER_NOT_IN_ACL',
      'HTTPIO_PLG_CANCELED',
      'SRT_CATEGORY_COMMUNICATION',
      'SRT_CATEGORY_WS_CONFIGURATION',
      'SRT_CATEGORY_XML_CONVERSION',
      'SAPSSLS.pse',
      'SAPSSLC.pse',
      'SAPSSLA.pse',
      'SAPSNCS.pse',
      'SAPSYS.pse',
      'cred_v2',
      'SSLC/SAPSUP',
      'WSSE/DFAULT',
      'SMIM/DFAULT',
      'PROG/FILE',
      'ssl/ssl_lib',
      'sec/libsapsecu',
      'ssf/ssfapi_lib',
      'snc/gssapi_lib',
      'snc/identity/as',
      'snc/enable',
      'spnego/krbspnego_lib',
      'ssl/ciphersuites',
      'ssl/client_ciphersuites',
      'icm/HTTPS/client_sni_enabled',
      'ssl/client_sni_enabled',
      'icm/HTTPS/verify_client',
      'icm/server_port_<xx>',
      'icm/ssl_config_<xx>',
      'icm/HTTPS/trust_client_with_issuer',
      'icm/HTTPS/trust_client_with_subject',
      'icm/trusted_reverse_proxy_<x>',
      'login/certificate_mapping_rulebased',
      'wdisp/ssl_ignore_host_mismatch',
      'system/secure_communication',
      'icm/security_log',
      'rdisp/TRACE',
      'ccl/trace/level',
      'ccl/trace/directory',
      'CCL_PROFILE',
      'SSF_TRACE_LEVEL',
      'SSF_LIBRARY_PATH',
      'CPIC_TRACE',
      'SNC_LIB',
      'TLS_CLIENT_PSE',
      'STRUST',
      'SMICM',
      'SM59',
      'SOAMANAGER',
      'SNC0',
      'SU01',
      'ST11',
      'AL11',
      'RZ10',
      'RZ11',
      'SICF',
      'SRT_UTIL',
      'CERTRULE',
      'PKIX_PATH_BUILDING_FAILED',
      'RTE_300010',
      'SSL_ERROR_HANDSHAKE_FAILURE_ALERT',
    ];
    for (const id of ids) assert.ok(byId.has(id), id);
  });

  test('parameters with a recommended value in the dossier carry it', () => {
    assert.match(byId.get('ssl/client_ciphersuites')?.recommended ?? '', /150:PFS:HIGH::EC_P256:EC_HIGH/);
    assert.match(byId.get('ssl/ciphersuites')?.recommended ?? '', /135:PFS:HIGH::EC_P256:EC_HIGH/);
    assert.equal(byId.get('icm/HTTPS/client_sni_enabled')?.recommended, 'TRUE');
  });

  test('answers that depend on evidence say which evidence decides and offer the command', () => {
    for (const id of [
      'ICM_HTTP_SSL_ERROR',
      'SSSLERR_CONN_CLOSED',
      'SSSLERR_SERVER_CERT_MISMATCH',
      'SSSLERR_PEER_CERT_UNTRUSTED',
    ]) {
      const e = byId.get(id)!;
      const decides = e.sections.find((s) => s.key === 'decides');
      assert.ok(decides, id);
      assert.ok(
        e.next.some((c) => c.startsWith('pse-doctor analyze')),
        id,
      );
    }
  });
});

describe('compiled knowledge base', () => {
  test('a compile is deterministic and survives JSON', () => {
    const a = compileKnowledgeBase();
    const b = compileKnowledgeBase();
    assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
    assert.deepEqual(a.search, buildSearchIndex(a.entries.entries));
  });

  const built = existsSync(COMPILED_PATHS.entries) && existsSync(COMPILED_PATHS.search);
  const distEntries = COMPILED_PATHS.entries.replace(
    /src([/\\])kb([/\\])index\.json$/,
    'dist$1kb$2index.json',
  );
  const distSearch = COMPILED_PATHS.search.replace(
    /src([/\\])kb([/\\])search\.json$/,
    'dist$1kb$2search.json',
  );
  const hasDist = built || (existsSync(distEntries) && existsSync(distSearch));
  test('dist/kb/index.json and search.json equal a fresh parse of kb/*.md', {
    skip: hasDist ? false : 'dist/kb not built (run npm run build)',
  }, () => {
    const fresh = compileKnowledgeBase();
    const onDisk = JSON.parse(readFileSync(built ? COMPILED_PATHS.entries : distEntries, 'utf8'));
    const search = JSON.parse(readFileSync(built ? COMPILED_PATHS.search : distSearch, 'utf8'));
    assert.deepEqual(
      onDisk,
      JSON.parse(JSON.stringify(fresh.entries)),
      'stale dist/kb/index.json: run npm run build',
    );
    assert.deepEqual(
      search,
      JSON.parse(JSON.stringify(fresh.search)),
      'stale dist/kb/search.json: run npm run build',
    );
    // The heads and the recogniser's files are read by byte range: they must match index.json byte for byte.
    const kbDir = dirname(built ? COMPILED_PATHS.entries : distEntries);
    const files = compiledKbFiles(fresh.entries);
    assert.equal(readFileSync(join(kbDir, 'index.json'), 'utf8'), files.index, 'stale dist/kb/index.json');
    assert.equal(readFileSync(join(kbDir, 'heads.json'), 'utf8'), files.heads, 'stale dist/kb/heads.json');
    assert.equal(readFileSync(join(kbDir, 'keys.txt'), 'utf8'), files.keys, 'stale dist/kb/keys.txt');
    const recognizer = storedRecognizerFiles(compileRecognizer(fresh.entries.entries));
    assert.equal(readFileSync(join(kbDir, 'recognizer.json'), 'utf8'), recognizer.model);
    assert.equal(readFileSync(join(kbDir, 'recognizer-entries.json'), 'utf8'), recognizer.entries);
  });
});

describe('recognition keys', () => {
  test('every entry with printed texts or patterns names the stack that prints them (declared or by family)', () => {
    for (const e of entries.filter((x) => x.printed.length > 0 || x.patterns.length > 0)) {
      assert.ok(entryStacks(e).length > 0, `${e.file}: add "stacks:" (no family to derive it from)`);
    }
  });

  test('every shared/domain source an entry cites exists (when ../shared is present)', (t) => {
    const shared = join(process.cwd(), '..');
    if (!existsSync(join(shared, 'shared', 'domain'))) {
      t.skip('../shared/domain is absent');
      return;
    }
    for (const e of entries) {
      for (const src of e.sources.filter((s) => s.startsWith('shared/'))) {
        assert.ok(existsSync(join(shared, src)), `${e.file}: source ${src} does not exist`);
      }
    }
  });

  test('every pattern stays fast on hostile lines (64 KiB of its own literal, spaces, and near-misses)', () => {
    for (const e of entries) {
      for (const source of e.patterns) {
        const check = checkPattern(source);
        assert.ok(check.ok, `${e.file}: ${source}`);
        const re = new RegExp(source, 'i');
        const hostile = [
          check.literal.repeat(Math.ceil(65536 / check.literal.length)),
          `${check.literal} ${'a'.repeat(65536)}`,
          `${check.literal}${' '.repeat(65536)}x`,
          `${check.literal}${'a,'.repeat(32768)}`,
        ];
        for (const line of hostile) {
          const start = performance.now();
          re.test(line);
          const ms = performance.now() - start;
          assert.ok(ms < 200, `${e.file}: pattern ${source} took ${ms.toFixed(0)} ms on a hostile line`);
        }
      }
    }
  });
});
