import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyIp, directionOf, inCidr, parseCidr, parseCidrList, parseIpv6, DEFAULT_INTERNAL } from '../../shared/net.js';

const internal = parseCidrList(DEFAULT_INTERNAL);

test('IPv6 parsing: compressed forms, embedded IPv4, zone ids', () => {
  assert.equal(parseIpv6('::1'), 1n);
  assert.equal(parseIpv6('fd2d:ab8c:225::1'), 0xfd2dab8c022500000000000000000001n);
  assert.equal(parseIpv6('::ffff:1.2.3.4'), 0xffff01020304n);
  assert.equal(parseIpv6('fe80::1%eth0'), 0xfe800000000000000000000000000001n);
  assert.equal(parseIpv6('1:2:3'), null);
  assert.equal(parseIpv6('1::2::3'), null);
});

test('CIDR membership', () => {
  assert.ok(inCidr('10.1.2.3', parseCidr('10.0.0.0/8')));
  assert.ok(!inCidr('11.0.0.1', parseCidr('10.0.0.0/8')));
  assert.ok(inCidr('172.31.255.255', parseCidr('172.16.0.0/12')));
  assert.ok(!inCidr('172.32.0.0', parseCidr('172.16.0.0/12')));
  assert.ok(inCidr('fd2d:ab8c:225::1', parseCidr('fc00::/7')));
  assert.ok(!inCidr('10.0.0.1', parseCidr('fc00::/7')));
  assert.throws(() => parseCidr('10.0.0.0/33'));
  assert.throws(() => parseCidr('example.com/8'));
});

test('classification: internal ranges, and destinations that are never findings', () => {
  assert.deepEqual(classifyIp('192.168.1.115', internal), { internal: true, special: false });
  assert.deepEqual(classifyIp('41.108.179.197', internal), { internal: false, special: false });
  assert.equal(classifyIp('224.0.0.252', internal).special, true);
  assert.equal(classifyIp('ff02::1:3', internal).special, true);
  assert.equal(classifyIp('fe80::5dd3:6bb3:7720:1e83', internal).special, true);
  assert.equal(classifyIp('255.255.255.255', internal).special, true);
  assert.equal(classifyIp('169.254.1.1', internal).special, true);
  assert.equal(directionOf(true, false), 'outbound');
  assert.equal(directionOf(true, true), 'internal');
  assert.equal(directionOf(false, false), 'external');
  assert.equal(directionOf(false, true), 'inbound');
});
