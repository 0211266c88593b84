/**
 * @module IP address tests that answer host names without Node's IPv6 regex.
 *
 * `net.isIP` and `net.isIPv6` run one large regular expression, which V8 compiles at its first use: 8–12 ms
 * on our bench machine, and about 2 ms more when V8 tiers it up at the second use. Every IPv6 address (and
 * every alternative of that regex) holds a colon, so a text without one is answered by the IPv4 test
 * alone: the same answers as `net.isIP`, without the compile for the host names a probe works with.
 * `src/model/ip-address.test.ts` compares both on addresses, names and random texts.
 */
// Named imports: the bundle reads them at each call, so node:net (and the streams behind it) loads only
// when a test needs it, not when this module loads.
import { isIPv4, isIPv6 } from 'node:net';

/** 4 or 6 when `text` is an IPv4 or IPv6 address (IPv6 with an optional zone), else 0: as `net.isIP`. */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (!text.includes(':')) return isIPv4(text) ? 4 : 0;
  return isIPv6(text) ? 6 : 0;
}

/** Whether `text` is an IPv6 address: as `net.isIPv6`. */
export function isIPv6Address(text: string): boolean {
  return text.includes(':') && isIPv6(text);
}

let patched = false;

/**
 * Make Node's own `net.isIP` take the same short cut, for the rest of this process. `tls.connect` asks
 * `net.isIP(servername)` on every handshake with SNI (to warn about IP server names), so each probe pays
 * the regex compile although the name is a host name. The CLI's `probe` and `landscape --probe` call this
 * in their own process; the library never changes a Node built-in for its host application.
 */
export function useQuickIpCheckInNode(): void {
  if (patched) return;
  patched = true;
  // The CommonJS export object of node:net itself, which tls reads `isIP` from at every call (an ES
  // namespace, or a bundle's wrapper of the module, would be a copy).
  const exports = process.getBuiltinModule('node:net') as unknown as { isIP: (input: unknown) => number };
  const original = exports.isIP;
  exports.isIP = (input: unknown): number =>
    typeof input === 'string' && !input.includes(':') ? (isIPv4(input) ? 4 : 0) : original(input);
}
