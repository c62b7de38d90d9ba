import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRefusal, parseIpv6, webhookUrlProblem } from './addresses.js';

const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const octet = fc.integer({ min: 0, max: 255 });

describe('webhook addresses', () => {
  it('refuses every private, loopback, link-local, CGNAT, metadata and unique-local address', () => {
    const refused: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.1.2', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link_local'],
      ['100.64.0.1', 'shared_cgnat'],
      ['100.127.255.255', 'shared_cgnat'],
      ['224.0.0.1', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['::', 'unspecified'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'link_local'],
      ['64:ff9b::10.0.0.1', 'private'],
      ['2002:c0a8:0101::1', 'private'],
      ['fe80::1', 'link_local'],
      ['fc00::1', 'unique_local'],
      ['fd00:ec2::254', 'unique_local'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
    ];
    for (const [address, why] of refused) expect(addressRefusal(address), address).toBe(why);
  });

  it('lets public addresses through', () => {
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
    ]) {
      expect(addressRefusal(address), address).toBeNull();
    }
  });

  it('decides an IPv4-mapped IPv6 address exactly as its IPv4 address', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        expect(addressRefusal(`::ffff:${v4(a, b, c, d)}`)).toBe(addressRefusal(v4(a, b, c, d)));
      }),
    );
  });

  it('refuses the whole of each private range, to its edges, and nothing just outside 10/8 or 172.16/12', () => {
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        expect(addressRefusal(v4(10, b, c, d))).toBe('private');
        expect(addressRefusal(v4(127, b, c, d))).toBe('loopback');
        expect(addressRefusal(v4(172, 16 + (b % 16), c, d))).toBe('private');
        expect(addressRefusal(v4(192, 168, c, d))).toBe('private');
        expect(addressRefusal(v4(169, 254, c, d))).toBe('link_local');
        expect(addressRefusal(v4(100, 64 + (b % 64), c, d))).toBe('shared_cgnat');
      }),
    );
    expect(addressRefusal('11.0.0.0')).toBeNull();
    expect(addressRefusal('9.255.255.255')).toBeNull();
    expect(addressRefusal('172.15.255.255')).toBeNull();
  });

  it('parses IPv6 text to the same groups however it is abbreviated', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16)).join(':');
        expect(parseIpv6(full)).toEqual(groups);
        expect(parseIpv6(`[${full.toUpperCase()}]`)).toEqual(groups);
      }),
    );
    expect(parseIpv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIpv6('1::2::3')).toBeUndefined();
    expect(addressRefusal('not-an-ip')).toBe('not_an_address');
  });

  it('wants https, no credentials, and no local address or name — unless the operator allows private ones', () => {
    expect(webhookUrlProblem('https://erp.example.com/hooks', false)).toBeNull();
    expect(webhookUrlProblem('http://erp.example.com/hooks', false)?.code).toBe('WEBHOOK_URL_NOT_HTTPS');
    expect(webhookUrlProblem('ftp://erp.example.com/', true)?.code).toBe('WEBHOOK_URL_NOT_HTTPS');
    expect(webhookUrlProblem('https://u:p@erp.example.com/', false)?.code).toBe('WEBHOOK_URL_INVALID');
    expect(webhookUrlProblem('nonsense', false)?.code).toBe('WEBHOOK_URL_INVALID');
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]:8443/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:10.0.0.1]/',
      'https://localhost/',
      'https://db.internal/',
      'https://intranet/',
      'https://2130706433/', // 127.0.0.1 as one number: WHATWG URL normalises it
      'https://0x7f.1/',
    ]) {
      expect(webhookUrlProblem(url, false)?.code, url).toBe('WEBHOOK_URL_PRIVATE');
    }
    expect(webhookUrlProblem('http://127.0.0.1:3999/hook', true)).toBeNull();
  });
});
