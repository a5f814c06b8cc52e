import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/modules/webhooks/webhooks.addresses.ts';
import { isEventPattern, matchesPatterns } from '../../src/modules/webhooks/webhooks.events.ts';
import { newWebhookSecret, signedHeaders } from '../../src/modules/webhooks/webhooks.signing.ts';

describe('webhook signatures', () => {
  it('when a body is signed with a new secret, then the standardwebhooks library verifies it, and refuses it changed or with another secret', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 'evt-1', type: 'article.published', timestamp: '2026-11-20T09:00:00.000Z', data: { id: 'a1' } });
    const headers = signedHeaders(secret, 'evt-1', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'article.published' });
    expect(() => new Webhook(secret).verify(body.replace('a1', 'a2'), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe('receiver addresses', () => {
  it('when an address is loopback, private, link-local or unspecified, then it is refused; public ones pass', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.5',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2a00:1450:4010:c05::65', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});

describe('event patterns', () => {
  it('when a subscription names events, then exact names, entity wildcards and * match, and unknown names are not patterns', () => {
    expect(isEventPattern('article.published')).toBe(true);
    expect(isEventPattern('feed_item.*')).toBe(true);
    expect(isEventPattern('*')).toBe(true);
    expect(isEventPattern('article.exploded')).toBe(false);
    expect(isEventPattern('user.*')).toBe(false);
    expect(matchesPatterns(['article.*'], 'article.deleted')).toBe(true);
    expect(matchesPatterns(['article.*'], 'rubric.created')).toBe(false);
    expect(matchesPatterns(['rubric.created'], 'rubric.created')).toBe(true);
  });
});
