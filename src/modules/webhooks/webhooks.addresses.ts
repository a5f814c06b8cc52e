import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { lookup as lookupCallback } from 'node:dns';
import ipaddr from 'ipaddr.js';

const wellKnownNat64 = ipaddr.parseCIDR('64:ff9b::/96');
// The local-use NAT64 prefix (RFC 8215) is refused whole: where its IPv4 address sits depends on each network's prefix length.
const localNat64 = ipaddr.parseCIDR('64:ff9b:1::/48');

/** The IPv4 address an IPv6 one carries and is delivered to: IPv4-mapped and -compatible, 6to4, well-known NAT64. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const lastTwo = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  if (parts.slice(0, 6).every((part) => part === 0)) return lastTwo(parts[6]!, parts[7]!); // ::/96, IPv4-compatible
  if (address.range() === '6to4') return lastTwo(parts[1]!, parts[2]!); // 2002:AABB:CCDD::/48
  if (address.match(wellKnownNat64)) return lastTwo(parts[6]!, parts[7]!);
  return undefined;
}

/**
 * Whether an IP address is on this host, a private network, link-local or otherwise not a public receiver.
 * ipaddr.js names every special-purpose range (loopback, private, linkLocal, carrierGradeNat, reserved,
 * teredo…); only `unicast` is public. An IPv6 address that carries an IPv4 one is judged by that one.
 */
export function isPrivateAddress(address: string): boolean {
  if (!isIP(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() !== 'unicast';
  const ipv6 = parsed as ipaddr.IPv6;
  if (ipv6.range() === 'unspecified' || ipv6.range() === 'loopback') return true;
  if (ipv6.match(localNat64)) return true;
  const ipv4 = embeddedIPv4(ipv6);
  if (ipv4) return ipv4.range() !== 'unicast';
  return ipv6.range() !== 'unicast';
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
