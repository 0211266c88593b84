/** @module Parse what the user names as the endpoint (`https://host[:port]/path`, `host[:port]`, `[v6]:port`) and proxies. */
import { ToolError } from '../model/errors.js';
import { ipVersion } from '../model/ip-address.js';
import type { ProbeTarget, ProxyConfig } from './types.js';

/** Host names: letters, digits, dots, hyphens, underscores (seen in internal names); 253 at most. */
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;

const DEFAULT_PORTS: Record<string, number> = { https: 443, ldaps: 636, wss: 443 };

function usage(message: string): ToolError {
  return new ToolError('usage', { message });
}

function checkPort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text)) throw usage(`${what}: "${text}" is not a port number (1–65535).`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw usage(`${what}: port ${port} is outside 1–65535.`);
  return port;
}

function checkHost(host: string, what: string): string {
  if (ipVersion(host)) return host;
  if (!HOST_NAME.test(host)) throw usage(`${what}: "${host.slice(0, 80)}" is not a host name or IP address.`);
  return host.toLowerCase().replace(/\.$/, '');
}

/** Split `host[:port]` / `[v6][:port]` / bare IPv6. */
function splitHostPort(text: string, what: string): { host: string; port?: number } {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw usage(`${what}: missing "]" after the IPv6 address.`);
    const host = text.slice(1, end);
    if (ipVersion(host) !== 6) throw usage(`${what}: "${host.slice(0, 80)}" is not an IPv6 address.`);
    const rest = text.slice(end + 1);
    if (rest === '') return { host };
    if (!rest.startsWith(':')) throw usage(`${what}: unexpected text after "]".`);
    return { host, port: checkPort(rest.slice(1), what) };
  }
  if (ipVersion(text) === 6) return { host: text };
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { host: checkHost(text, what) };
  return { host: checkHost(text.slice(0, colon), what), port: checkPort(text.slice(colon + 1), what) };
}

/**
 * Parse the probe target: `https://host[:port][/path]`, `ldaps://…`, or `host[:port]` (port 443 by default).
 * Plain `http://` is refused: the probe speaks TLS. Throws ToolError `usage` with a hint.
 */
export function parseProbeTarget(input: string): ProbeTarget {
  const text = input.trim();
  if (!text) throw usage('Name the endpoint to probe: pse-doctor probe <https://host[:port]|host[:port]>.');
  if (text.length > 2048) throw usage('The endpoint is longer than 2048 characters.');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]{0,15}):\/\//.exec(text);
  if (scheme?.[1]) {
    const name = scheme[1].toLowerCase();
    if (name === 'http') {
      throw usage(
        `${text} is plain HTTP: there is no TLS to probe. Use https://… (or host:port of the TLS port).`,
      );
    }
    const defaultPort = DEFAULT_PORTS[name];
    if (defaultPort === undefined)
      throw usage(`The scheme "${name}://" is not supported; use https:// or host:port.`);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw usage(`"${text.slice(0, 200)}" is not a valid URL.`);
    }
    if (url.username || url.password)
      throw usage('Leave credentials out of the URL: the probe sends no logon data.');
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const checked = checkHost(host, text);
    const port = url.port ? checkPort(url.port, text) : defaultPort;
    return {
      host: checked,
      port,
      url: `${name}://${url.host}${url.pathname}`,
      path: `${url.pathname || '/'}${url.search}`,
      isIp: ipVersion(checked) !== 0,
    };
  }
  if (text.includes('/')) throw usage(`"${text.slice(0, 200)}": give a URL with https:// or host[:port].`);
  const { host, port } = splitHostPort(text, text);
  return { host, port: port ?? 443, path: '/', isIp: ipVersion(host) !== 0 };
}

/**
 * Parse `--proxy http://[user[:password]@]host:port`. The password may instead come from
 * `PSE_DOCTOR_PROXY_PASSWORD` (`envPassword`), which keeps it out of the process list.
 */
export function parseProxy(input: string, envPassword?: string, what = '--proxy'): ProxyConfig {
  const text = input.trim();
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw usage(
      `${what}: "${text.replace(/\/\/[^@/]*@/, '//…@').slice(0, 200)}" is not http://[user@]host:port.`,
    );
  }
  if (url.protocol !== 'http:') {
    throw usage(`${what}: only HTTP forward proxies (http://host:port, CONNECT) are supported.`);
  }
  if (url.pathname !== '/' && url.pathname !== '') throw usage(`${what}: give only http://[user@]host:port.`);
  const host = checkHost(url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname, what);
  const port = url.port ? checkPort(url.port, what) : 3128;
  const proxy: ProxyConfig = { host, port };
  if (url.username) proxy.user = decodeURIComponent(url.username);
  const password = url.password ? decodeURIComponent(url.password) : envPassword;
  if (password !== undefined && password !== '') {
    if (proxy.user === undefined)
      throw usage(`${what}: a proxy password needs a user name (http://user@host:port).`);
    proxy.password = password;
  }
  return proxy;
}
