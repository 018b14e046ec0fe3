import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { issuesOf } from '../config/support/config-error.js';
import { MINIMAL_CONFIG } from '../config/support/minimal-config.js';

const BASE = `${MINIMAL_CONFIG}sims:
  - iccid: "89701012345678901234"
    phone: "79088081050"
`;

describe('config keys of the HTTP surfaces', () => {
  it('defaults: reseller timeouts 10 s / 15 s and 256 connections, no TLS; admin answers no extra host', () => {
    const config = parseConfigText(`${BASE}reseller:\n  listen: 0.0.0.0:8080\n`, {});
    expect(config.reseller).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      maxConnections: 256,
    });
    expect(config.reseller?.tls).toBeUndefined();
    expect(config.admin).toEqual({ listen: '127.0.0.1:8930', allowedHosts: [], maxConnections: 64 });
  });

  it('reads reseller.tls and admin.allowedHosts', () => {
    const config = parseConfigText(
      `${BASE}reseller:\n  listen: 0.0.0.0:8443\n  tls: { cert: /etc/c.pem, key: /etc/k.pem }\nadmin:\n  allowedHosts: [farm.lan]\n`,
      {},
    );
    expect(config.reseller?.tls).toEqual({ cert: '/etc/c.pem', key: '/etc/k.pem' });
    expect(config.admin.allowedHosts).toEqual(['farm.lan']);
  });

  it('names a TLS section without its key, and a cap that is not a positive integer', () => {
    const issues = issuesOf(
      `${BASE}reseller:\n  listen: 0.0.0.0:8443\n  tls: { cert: /etc/c.pem }\n  maxConnections: 0\n`,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^reseller\.tls\.key: /),
        expect.stringMatching(/^reseller\.maxConnections: /),
      ]),
    );
  });
});
