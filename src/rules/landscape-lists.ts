/**
 * @module PSE trust lists as the landscape rules see them: grouped by system and PSE name, with the
 * instance each came from, and how to compare two lists (own certificate and trusted certificates by SHA-256).
 */
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import type { PseProblemEvent, TrustListEvent } from '../model/evidence.js';
import { normalizeDn } from '../pki/dn.js';
import { certificateName } from './certificate-facts.js';
import { pseListEvents } from './pse-trust-lists.js';

/** A PSE of one instance: its list event (or the problem that kept it closed). */
export interface InstancePse {
  instance: string;
  event: TrustListEvent | PseProblemEvent;
  list?: TrustList;
}

/** Lists (and unreadable PSEs) of one system, by PSE file name (upper-cased) → instance. */
export interface SystemPses {
  system: string;
  instances: string[];
  byPse: Map<string, { name: string; at: Map<string, InstancePse> }>;
}

/** Group every landscape-tagged PSE by system, then PSE name. Systems and instances sorted. */
export function groupLandscape(
  lists: readonly TrustListEvent[],
  problems: readonly PseProblemEvent[] = [],
): SystemPses[] {
  const systems = new Map<string, SystemPses>();
  const add = (system: string, instance: string, name: string, entry: InstancePse) => {
    let sys = systems.get(system);
    if (!sys) {
      sys = { system, instances: [], byPse: new Map() };
      systems.set(system, sys);
    }
    if (!sys.instances.includes(instance)) sys.instances.push(instance);
    const key = name.toUpperCase();
    let pse = sys.byPse.get(key);
    if (!pse) {
      pse = { name, at: new Map() };
      sys.byPse.set(key, pse);
    }
    pse.at.set(instance, entry);
  };
  for (const event of pseListEvents(lists)) {
    const where = event.list.landscape;
    if (!where) continue;
    add(where.system, where.instance, nameOf(event.list.basename ?? event.list.file ?? '?'), {
      instance: where.instance,
      event,
      list: event.list,
    });
  }
  for (const event of problems) {
    if (!event.landscape) continue;
    add(event.landscape.system, event.landscape.instance, nameOf(event.file), {
      instance: event.landscape.instance,
      event,
    });
  }
  const out = [...systems.values()].sort((a, b) => a.system.localeCompare(b.system));
  for (const s of out) s.instances.sort();
  return out;
}

function nameOf(file: string): string {
  return file.split(/[/\\]/).pop() ?? file;
}

/**
 * A key that identifies one certificate across lists, whatever they were read from: issuer, serial and
 * expiry (a PSE file and a sapgenpse listing of it both show them; a listing may show no SHA-256), else
 * the SHA-256, else subject and expiry.
 */
export function certificateKey(cert: CertificateInfo): string {
  if (cert.issuer && cert.serial)
    return `${dnKey(cert.issuer)}|${serialKey(cert.serial)}|${cert.notAfter ?? ''}`;
  return cert.sha256 ?? `${dnKey(cert.subject)}||${cert.notAfter ?? ''}`;
}

function dnKey(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return dn;
  }
}

/** `01:00:10:0C`, `0100100c` → `100100c` (no separators, no leading zeros, lower case). */
function serialKey(serial: string): string {
  return serial
    .replace(/[^0-9a-fA-F]/g, '')
    .replace(/^0+/, '')
    .toLowerCase();
}

/** `ABC: app1, app2` → `app1, app2` list text. */
export function instancesText(instances: readonly string[]): string {
  return instances.join(', ');
}

/** Short certificate name with its expiry date, for drift texts. */
export function certificateLabel(cert: CertificateInfo): string {
  const until = cert.notAfter ? `, until ${cert.notAfter.slice(0, 10)}` : '';
  return `"${certificateName(cert)}"${until}`;
}
