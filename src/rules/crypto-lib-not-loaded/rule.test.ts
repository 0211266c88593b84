/** @module crypto-lib-not-loaded: DLENOACCESS, 32/64-bit SNC libraries, SSSLERR_LIB_NOT_FOUND. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'DLENOACCESS with "Access is denied" → permissions on the library (certain)',
      events: [
        event('lib-load-failure', {
          library: 'C:\\sec\\sapcrypto.dll',
          error: { name: 'DLENOACCESS' },
          osError: { code: '5', text: 'Access is denied.' },
        }),
      ],
      findings: [{ cause: 'lib-not-found', confidence: 'certain' }],
      check: ([f]) => assert.match(f?.steps[0] ?? '', /read and execute rights on C:\\sec\\sapcrypto\.dll/),
    },
    {
      name: 'SNCERR_INIT with error 193 → wrong architecture (client role)',
      events: [
        event('snc-failure', {
          role: 'client',
          error: { name: 'SNCERR_INIT' },
          errorDetail: 'Unable to load GSS-API DLL',
          detail: 'Error 193',
          library: 'C:\\Windows\\sysWOW64\\sncgss32.dll',
        }),
      ],
      findings: [{ role: 'client' }],
      check: ([f]) => assert.match(f?.title ?? '', /wrong architecture/),
    },
    {
      name: 'SSSLERR_LIB_NOT_FOUND (-1)',
      events: [
        event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_LIB_NOT_FOUND', number: -1 } }),
      ],
      findings: [{ cause: 'lib-not-found' }],
    },
  ],
  staysSilent: [
    {
      name: 'SNC failures of another kind',
      events: [event('snc-failure', { gssMajor: 'No credentials were supplied' })],
    },
  ],
  notApplicable: [{ name: 'none of its kinds', events: [] }],
});
