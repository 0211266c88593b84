/** @module peer-cert-expired: expired per dates or code; wrong host offered when only the peer address is known. */
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'the dump shows the leaf for the target host expired → one certain finding',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_PEER_CERT_EXPIRED' },
          target: { host: 'old.example.com', port: 443 },
          certificates: [
            { depth: 0, subject: 'CN=old.example.com', issuer: 'CN=CA', notAfter: '2021-01-01T00:00:00Z' },
          ],
        }),
      ],
      findings: [{ cause: 'expired-peer-cert', confidence: 'certain' }],
    },
    {
      name: 'only the code and a peer address → expired (likely), then wrong host (possible)',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: { name: 'SSSLERR_PEER_CERT_EXPIRED' },
          targetHostname: 'a.example.com',
          peer: { ip: '192.0.2.9' },
        }),
      ],
      findings: [
        { cause: 'expired-peer-cert', confidence: 'likely' },
        { cause: 'wrong-host', confidence: 'possible' },
      ],
    },
    {
      name: '"peer not trusted" whose errorstack says the verification failed on the validity period → expired',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED' },
          target: { host: 'bank.example.com', port: 443 },
          errorstack: [
            {
              line: 9,
              text: 'ERROR in af_verify_Certificates: Certificate (chain) verification failed: validity period',
            },
          ],
        }),
      ],
      findings: [{ cause: 'expired-peer-cert', confidence: 'likely' }],
    },
  ],
  staysSilent: [
    {
      name: 'a valid chain with another error is not expired',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
          certificates: [
            {
              depth: 0,
              subject: 'CN=a',
              notBefore: '2024-01-01T00:00:00Z',
              notAfter: '2030-01-01T00:00:00Z',
            },
          ],
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
