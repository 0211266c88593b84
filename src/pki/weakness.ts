/** @module Why a certificate is weak (MD5/SHA-1 signature, small RSA or EC key): one judgement for rules and views. */

/** One reason a certificate is weak, with how bad it is. */
export interface Weakness {
  kind: 'md5' | 'sha1' | 'rsa-small' | 'ec-small';
  severity: 'error' | 'warning';
  detail: string;
}

/** Why a certificate is weak, with how bad it is (empty: not weak). */
export function weaknessOf(cert: {
  signatureAlgorithm?: string;
  key?: { algorithm: string; size?: number };
  selfSigned?: boolean;
}): Weakness[] {
  const out: Weakness[] = [];
  const sig = cert.signatureAlgorithm ?? '';
  // A root's signature on itself is never checked by verifiers: SHA-1 roots are fine.
  if (!cert.selfSigned) {
    if (/md5|md2/i.test(sig)) out.push({ kind: 'md5', severity: 'error', detail: sig });
    else if (/sha1|sha-1/i.test(sig) && !/sha1\d/i.test(sig))
      out.push({ kind: 'sha1', severity: 'warning', detail: sig });
  }
  const size = cert.key?.size;
  if (cert.key?.algorithm === 'RSA' && size && size < 2048) {
    out.push({ kind: 'rsa-small', severity: size < 1024 ? 'error' : 'warning', detail: `RSA ${size}` });
  }
  if (cert.key?.algorithm === 'EC' && size && size < 256) {
    out.push({ kind: 'ec-small', severity: 'warning', detail: `EC ${size}` });
  }
  return out;
}
