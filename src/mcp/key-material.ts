/**
 * @module The last guard before anything leaves the MCP server: finds private-key armour, base64 DER of
 * private keys and the server's own PIN or password in a result, so it can be withheld instead of sent.
 */

/**
 * Patterns of private keys in text. Each is linear-time: fixed prefixes and bounded classes only.
 * - PEM armour of any private key (PKCS#1, PKCS#8, encrypted PKCS#8, EC, OpenSSH).
 * - base64 DER of an RSA key (PKCS#1 `30 82 .. .. 02 01 00 02 81|82`, PKCS#8 `30 82 .. .. 02 01 00 30 0d`).
 * - base64 DER of an EC key (SEC1 `30 77 02 01 01 04 20`, PKCS#8 P-256 `30 81 87 02 01 00 30 13`).
 * - base64 DER of an Ed25519/X25519 PKCS#8 key (`30 2e 02 01 00 30 05 06 03 2b 65`).
 */
const KEY_PATTERNS: readonly { name: string; re: RegExp }[] = [
  { name: 'PEM private key armour', re: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/ },
  { name: 'base64 RSA private key', re: /MII[A-Za-z0-9+/]{3}IBA(?:AK[BC]|DAN)/ },
  { name: 'base64 EC private key', re: /MHcCAQEEI|MIGHAgEAMBMGByqGSM49/ },
  { name: 'base64 Ed25519/X25519 private key', re: /MC4CAQAwBQYDK2V/ },
];

/** Shortest PIN/password searched for: shorter ones would match ordinary text (line numbers, years). */
const MIN_SECRET_LENGTH = 6;

/**
 * The first kind of key material found in `text`, or undefined. `secrets` are the PIN and password the
 * server holds; they count as found when they appear verbatim (from 6 characters on).
 */
export function findKeyMaterial(
  text: string,
  secrets: readonly (string | undefined)[] = [],
): string | undefined {
  for (const { name, re } of KEY_PATTERNS) if (re.test(text)) return name;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH && text.includes(secret))
      return 'the PIN or password this server holds';
  }
  return undefined;
}
