import { describe, expect, it } from 'vitest';
import {
  assertLiteralHostAllowed,
  isPrivateAddress,
  RefusedAddressError,
  refusalOf,
} from '../../src/modules/webhooks/webhooks.addresses.ts';

// Each address with why a webhook may not be delivered there.
const refused: [address: string, why: string][] = [
  ['127.0.0.1', 'IPv4 loopback'],
  ['127.255.255.254', 'IPv4 loopback, the end of 127/8'],
  ['10.0.0.5', 'private 10/8'],
  ['172.16.0.1', 'private 172.16/12'],
  ['172.31.255.255', 'private 172.16/12, its end'],
  ['192.168.1.1', 'private 192.168/16'],
  ['169.254.169.254', 'link-local: the cloud metadata service'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT, its end'],
  ['0.0.0.0', 'unspecified: this host'],
  ['0.1.2.3', '0/8: this network'],
  ['255.255.255.255', 'broadcast'],
  ['224.0.0.1', 'multicast'],
  ['240.0.0.1', 'reserved 240/4'],
  ['192.0.0.8', 'IETF protocol assignments'],
  ['192.0.2.10', 'documentation TEST-NET-1'],
  ['198.18.0.1', 'benchmarking'],
  ['::1', 'IPv6 loopback'],
  ['::', 'IPv6 unspecified'],
  ['fe80::1', 'IPv6 link-local'],
  ['fe80::1%eth0', 'IPv6 link-local with a zone'],
  ['fc00::1', 'unique local fc00::/7'],
  ['fd00::1', 'unique local fd00::/8'],
  ['ff02::1', 'IPv6 multicast'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, in hex'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata service'],
  ['::127.0.0.1', 'IPv4-compatible loopback (::/96)'],
  ['::7f00:1', 'IPv4-compatible loopback, in hex'],
  ['::a9fe:a9fe', 'IPv4-compatible metadata service'],
  ['::ffff:0:127.0.0.1', 'IPv4-translated (RFC 6145)'],
  ['2002:7f00:1::', '6to4 of 127.0.0.1'],
  ['2002:a9fe:a9fe::1', '6to4 of the metadata service'],
  ['2002:c058:6301::', '6to4 of the 6to4 relay anycast (reserved)'],
  ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
  ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
  ['64:ff9b:1::1', 'local-use NAT64 (RFC 8215)'],
  ['64:ff9b:1:808:800::', 'local-use NAT64 whatever it carries'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2001:db8::1', 'documentation'],
  ['2001:2::1', 'benchmarking'],
  ['2001:20::1', 'ORCHIDv2'],
  ['100::1', 'discard-only'],
  ['fec0::1', 'deprecated site-local'],
  ['2130706433', 'not an IP address (the decimal form of 127.0.0.1 is for the URL parser to read)'],
  ['localhost', 'not an IP address'],
];

const allowed: [address: string, why: string][] = [
  ['93.184.216.34', 'public IPv4'],
  ['8.8.8.8', 'public IPv4'],
  ['1.1.1.1', 'public IPv4'],
  ['172.32.0.1', 'just past 172.16/12'],
  ['100.128.0.1', 'just past carrier-grade NAT'],
  ['2a00:1450:4010:c05::65', 'public IPv6'],
  ['2606:4700:4700::1111', 'public IPv6'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public address'],
  ['2002:808:808::1', '6to4 of a public address'],
  ['64:ff9b::8.8.8.8', 'NAT64 of a public address (an IPv6-only host with DNS64 resolves to these)'],
];

describe('receiver addresses', () => {
  it.each(refused)('when the address is %s (%s), then it is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(allowed)('when the address is %s (%s), then it is allowed', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  // The URL parser turns these hosts into the dotted or compressed form the guard then judges.
  const refusedUrls = [
    'http://2130706433/hook',
    'http://0x7f000001/hook',
    'http://0x7f.1/hook',
    'http://0177.0.0.1/hook',
    'http://127.1/hook',
    'http://0/hook',
    'http://[::1]/hook',
    'http://[::127.0.0.1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[2002:7f00:1::]/hook',
    'http://[64:ff9b::127.0.0.1]/hook',
    'http://[64:ff9b:1::1]/hook',
    'http://[fe80::1]/hook',
    'http://[fc00::1]/hook',
  ];

  it.each(refusedUrls)('when a receiver URL is %s, then the subscription and the delivery refuse it', async (url) => {
    expect(await refusalOf(new URL(url), false)).toMatch(/private, loopback or link-local/);
    expect(() => assertLiteralHostAllowed(new URL(url), false)).toThrow(RefusedAddressError);
    expect(await refusalOf(new URL(url), true)).toBeNull();
  });

  it('when a receiver URL has a public literal host, then it is accepted', async () => {
    for (const url of ['https://93.184.216.34/hook', 'https://[2606:4700:4700::1111]/hook', 'https://[64:ff9b::808:808]/hook']) {
      expect(await refusalOf(new URL(url), false), url).toBeNull();
      expect(() => assertLiteralHostAllowed(new URL(url), false), url).not.toThrow();
    }
  });
});
