/**
 * @module The address a hosts-file line pasted beside the evidence pins a name to (`10.4.4.4
 * api.partner.example`, read into trace-info `resolved`): the name then leads to that server, whose
 * certificate names other hosts. Read by the rules that judge a name mismatch (Java, the knowledge model).
 */
import type { EvidenceEvent } from '../model/evidence.js';

/**
 * A name a hosts-file line of the input pins to an address (trace-info `resolved`, read beside a trace or
 * a message): the first of `names` that is pinned, else a pinned name the message `text` quotes (curl's
 * "target host name 'x'", Java's "matching x found").
 */
export function pinnedName(
  infos: readonly EvidenceEvent[] | undefined,
  input: number,
  names: ReadonlyArray<string | undefined>,
  text = '',
): { host: string; address: string; dnsAddress?: string } | undefined {
  const lower = text.toLowerCase();
  for (const info of infos ?? []) {
    if (info.kind !== 'trace-info' || info.source.input !== input || !info.resolved) continue;
    const pin = (host: string, address: string) => {
      const dnsAddress = info.dns?.[host];
      return dnsAddress ? { host, address, dnsAddress } : { host, address };
    };
    for (const name of names) {
      const host = name?.toLowerCase();
      const address = host ? info.resolved[host] : undefined;
      if (host && address) return pin(host, address);
    }
    for (const [host, address] of Object.entries(info.resolved))
      if (host.includes('.') && lower.includes(host)) return pin(host, address);
    // The paste's one name that DNS answers otherwise than the hosts file: whatever failed with it
    // (a message that names no host, Invoke-WebRequest's trust failure) most likely reached that server.
    const differing = Object.entries(info.resolved).filter(
      ([host, address]) => info.dns?.[host] !== undefined && info.dns[host] !== address,
    );
    if (differing.length === 1) return pin(differing[0]![0], differing[0]![1]);
  }
  return undefined;
}
