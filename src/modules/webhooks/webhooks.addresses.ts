import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as lookupCallback } from 'node:dns';

// Addresses a receiver may not have: this host, the private networks, link-local (cloud metadata), and the like.
const refused = new BlockList();
for (const [network, prefix] of [
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
  refused.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  refused.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is on this host, a private network, link-local or otherwise not a public receiver. */
export function isPrivateAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address is judged by its IPv4 address, however it is spelt.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mappedHex) {
    const [high, low] = [parseInt(mappedHex[1]!, 16), parseInt(mappedHex[2]!, 16)];
    return isPrivateAddress([high >> 8, high & 255, low >> 8, low & 255].join('.'));
  }
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family === 6) return refused.check(address, 'ipv6');
  return true;
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * Why a receiver URL is refused, or null: its host is or resolves to a private address. A host that
 * does not resolve now is accepted; the delivery checks again when it connects.
 */
export async function refusalOf(url: URL, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = bareHost(url.hostname);
  if (isIP(host)) return isPrivateAddress(host) ? `${host} is a private, loopback or link-local address` : null;
  try {
    const addresses = await lookup(host, { all: true });
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    return bad ? `${host} resolves to ${bad.address}, a private, loopback or link-local address` : null;
  } catch {
    return null;
  }
}

/**
 * The DNS lookup a delivery connects with: it refuses private addresses after resolution, at connect
 * time, so a name that changes its answer between the check and the request still cannot reach them.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookupCallback(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const allowed = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (!allowed.length)
        return callback(new RefusedAddressError(`${hostname} resolves only to private, loopback or link-local addresses`), '', 4);
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** Refuses an IP-literal host before connecting (a lookup is not made for one). */
export function assertLiteralHostAllowed(url: URL, allowPrivate: boolean): void {
  const host = bareHost(url.hostname);
  if (!allowPrivate && isIP(host) && isPrivateAddress(host))
    throw new RefusedAddressError(`${host} is a private, loopback or link-local address`);
}
