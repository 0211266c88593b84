/**
 * @module What the web probe may reach: public addresses only (private ranges when the operator allows them), checked after resolving, the address pinned.
 */
import { lookup } from 'node:dns/promises';
import { BlockList } from 'node:net';
import { ipVersion } from '../model/ip-address.js';
import { ApiError } from './api-error.js';

/** Never reachable from the web probe: this machine, link-local (cloud metadata), unspecified, multicast, reserved. */
const ALWAYS_BLOCKED = new BlockList();
ALWAYS_BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4');
ALWAYS_BLOCKED.addSubnet('127.0.0.0', 8, 'ipv4');
ALWAYS_BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4');
ALWAYS_BLOCKED.addSubnet('224.0.0.0', 4, 'ipv4');
ALWAYS_BLOCKED.addSubnet('240.0.0.0', 4, 'ipv4');
ALWAYS_BLOCKED.addAddress('::', 'ipv6');
ALWAYS_BLOCKED.addAddress('::1', 'ipv6');
ALWAYS_BLOCKED.addSubnet('fe80::', 10, 'ipv6');
ALWAYS_BLOCKED.addSubnet('ff00::', 8, 'ipv6');

/** Loopback, allowed only by the test hook PSE_DOCTOR_PROBE_LOOPBACK=1 (the end-to-end tests probe a local server). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');

/** Private and shared ranges: reachable only with `serve --probe-private`. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (`::ffff:127.0.0.1`), else undefined. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::(?:ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (m) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1] as string, 16);
  const lo = Number.parseInt(hex[2] as string, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why `address` may not be probed, or undefined when it may. */
export function blockedReason(
  address: string,
  allowPrivate: boolean,
  allowLoopback = false,
): string | undefined {
  const v4 = embeddedIpv4(address);
  const [addr, family] = v4
    ? [v4, 'ipv4' as const]
    : [address, ipVersion(address) === 6 ? ('ipv6' as const) : ('ipv4' as const)];
  if (ipVersion(addr) === 0) return 'it is not an IP address';
  if (allowLoopback && (LOOPBACK.check(addr, family) || addr === '::1')) return undefined;
  if (ALWAYS_BLOCKED.check(addr, family))
    return 'it is this machine, a link-local, unspecified or multicast address';
  if (!allowPrivate && PRIVATE.check(addr, family))
    return 'it is a private address (whoever runs this server can allow those with the probe-private option of the serve command)';
  return undefined;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Resolve `host` and check EVERY address it resolves to (a name with one public and one loopback
 * address is refused). Returns the address to connect to, so the probe does not resolve again (no DNS
 * rebinding between check and connect). Throws ApiError 403 `probe-refused` otherwise.
 */
export async function allowedProbeAddress(
  host: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
  allowLoopback = false,
): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipVersion(bare)) addresses = [bare];
  else {
    try {
      addresses = (await resolve(bare)).map((a) => a.address);
    } catch {
      throw new ApiError(422, 'probe-dns', `The name ${bare} does not resolve on this server.`);
    }
  }
  if (addresses.length === 0)
    throw new ApiError(422, 'probe-dns', `The name ${bare} does not resolve on this server.`);
  for (const address of addresses) {
    const why = blockedReason(address, allowPrivate, allowLoopback);
    if (why)
      throw new ApiError(
        403,
        'probe-refused',
        `The web probe does not connect to ${bare} (${address}): ${why}.`,
      );
  }
  return addresses[0] as string;
}
