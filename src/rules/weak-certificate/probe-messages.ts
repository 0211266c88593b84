/** @module weak-certificate, probe outcome: the chain the server sent uses a key or signature the ICM refuses. */
import type { RuleMessage } from '../define.js';
import { LATER } from '../probe-steps.js';

export const probeMessages = () =>
  ({
    probeWeak: {
      title: 'The chain uses a key or signature the ICM refuses: {problem}',
      summary: `{problem}.${LATER}`,
      steps: [
        'The server owner must replace the certificate with one using RSA ≥ 2048 bits or ECDSA and SHA-256 or better.',
      ],
    },
  }) satisfies Record<string, RuleMessage>;
