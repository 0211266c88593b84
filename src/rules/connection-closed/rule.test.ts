/** @module connection-closed: CONN_CLOSED ranked by state, SNI and offered versions; server role is a harmless client hang-up. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'closed after the ClientHello with SNI and TLS 1.2 offered → network first, no sni-missing',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: { name: 'SSSLRC_CONN_CLOSED', number: -10 },
          sslState: { code: '0x2120', text: 'TLS read server hello A' },
          sni: 'github.com',
          sslCtx: { protocolVersions: ['TLSv1.2', 'TLSv1.1'] },
          target: { host: 'github.com', port: 443 },
        }),
      ],
      findings: [{ cause: 'network' }, { cause: 'tls-version', confidence: 'possible' }],
      check: (findings) => {
        assert.match(findings[0]?.title ?? '', /right after the ClientHello/);
        assert.ok(!findings.some((f) => f.cause === 'sni-missing'));
      },
    },
    {
      name: 'a complete block without SNI puts sni-missing first',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLRC_CONN_CLOSED', number: -10 },
          pseFile: 'SAPSSLC.pse',
          sslCtx: { protocolVersions: ['TLSv1.2'] },
        }),
      ],
      findings: [{ cause: 'sni-missing' }, {}, {}],
    },
    {
      name: 'server role is an informational client hang-up',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'server',
          error: { name: 'SSSLERR_CONN_CLOSED', number: -10 },
        }),
      ],
      findings: [{ severity: 'info' }],
    },
  ],
  staysSilent: [
    {
      name: 'other codes are not a closed connection',
      events: [event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } })],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
