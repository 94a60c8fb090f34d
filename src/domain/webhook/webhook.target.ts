import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { badInput } from '../errors';
import { LIMITS } from '../validate';

/**
 * Addresses a webhook may not reach unless private targets are allowed: loopback, private and
 * shared (CGNAT) networks, link-local (cloud metadata), multicast, reserved and unspecified
 * ranges, IPv6 unique-local and site-local. IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is
 * checked as IPv4.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['100::', 64],
  ['2001::', 32],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::, 6to4 2002::), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower) ?? /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::|$)/.exec(lower);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address is one a webhook may reach without WEBHOOK_ALLOW_PRIVATE. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !PRIVATE.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  return v4 ? isPublicAddress(v4) : !PRIVATE.check(address, 'ipv6');
}

/** Why a target is refused. */
export class TargetRefused extends Error {}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

/**
 * Every address `host` resolves to, refused (TargetRefused) when any of them is not public and
 * private targets are not allowed: checking all of them means a name with one public and one
 * internal address cannot slip through.
 */
export async function resolveTarget(host: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : await resolveAll(bare).catch((err: NodeJS.ErrnoException) => {
        throw new TargetRefused(`${host} does not resolve (${err.code ?? err.message})`);
      });
  if (!addresses.length) throw new TargetRefused(`${host} does not resolve`);
  const refused = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  if (refused) throw new TargetRefused(`${host} resolves to ${refused.address}, a private, loopback or reserved address`);
  return addresses;
}

/**
 * A `lookup` for http.request that resolves the host, checks every address and connects to the
 * first: the address checked is the address used, so DNS rebinding between check and connect
 * cannot reach an internal host.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    resolveTarget(hostname, allowPrivate).then(
      (addresses) => ((options as { all?: boolean }).all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
      (err: Error) => callback(err, ''),
    );
  };
}

/** A webhook URL checked for what the service accepts: http(s), no credentials, a host whose every address may be reached. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string> {
  if (typeof raw !== 'string' || raw.length > LIMITS.uri) throw badInput(`url must be an http(s) URL of at most ${LIMITS.uri} characters.`, 'url');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badInput('url is not a valid URL.', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url must start with http:// or https://.', 'url');
  if (url.username || url.password) throw badInput('url must not carry credentials; the signature authenticates the hub.', 'url');
  try {
    await resolveTarget(url.hostname, allowPrivate);
  } catch (err) {
    if (err instanceof TargetRefused) throw badInput(`url is refused: ${err.message}.`, 'url');
    throw err;
  }
  return url.toString();
}
