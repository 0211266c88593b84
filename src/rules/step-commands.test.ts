/** @module Steps that quote a command line carry it as their `command` action (the web's copy button). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quotedCommands, withCommandAction } from './step-commands.js';

test('quoted and trailing command lines are found; prose and pse-doctor commands are not', () => {
  assert.deepEqual(
    quotedCommands(
      'On the host instead: "sapgenpse get_pse -p SAPSSLS.pse -r req.p10", sign it, then "sapgenpse import_own_cert -p SAPSSLS.pse -c signed.crt".',
    ),
    ['sapgenpse get_pse -p SAPSSLS.pse -r req.p10', 'sapgenpse import_own_cert -p SAPSSLS.pse -c signed.crt'],
  );
  assert.deepEqual(
    quotedCommands(
      'Or, on each application server in its sec directory (SECUDIR): sapgenpse maintain_pk -p SAPSSLA.pse -a Root.crt',
    ),
    ['sapgenpse maintain_pk -p SAPSSLA.pse -a Root.crt'],
  );
  assert.deepEqual(quotedCommands('Save in STRUST: "SSL PSE was saved" means the ICM knows.'), []);
  assert.deepEqual(quotedCommands('Run "pse-doctor analyze dev_icm" on the trace.'), []);
});

test('a step that hands over something else keeps its action; one with commands gets them', () => {
  const download = {
    text: 'Use "openssl x509 -in a.crt"',
    action: { kind: 'download', fileName: 'a.crt' },
  } as const;
  assert.equal(withCommandAction(download), download);
  assert.deepEqual(
    withCommandAction({ text: 'Check with "openssl s_client -connect h:443 -showcerts".' }).action,
    {
      kind: 'command',
      command: 'openssl s_client -connect h:443 -showcerts',
    },
  );
  assert.equal(withCommandAction({ text: 'Restart the ICM.' }).action, undefined);
});

test('a step quoting two commands hands over both, each on its own (one line each)', () => {
  assert.deepEqual(
    withCommandAction({
      text: 'On the host: "sapgenpse get_pse -p A.pse -r req.p10", then "sapgenpse import_own_cert -p A.pse -c s.crt".',
    }).action,
    {
      kind: 'command',
      command: 'sapgenpse get_pse -p A.pse -r req.p10',
      after: ['sapgenpse import_own_cert -p A.pse -c s.crt'],
    },
  );
});
