import { parseListenAddress } from '../../config/index.js';
import { skipped } from './checks-local.js';
import type { CheckResult, DoctorCheck } from './types.js';

/**
 * Network checks: can Onlinesim's push URL be reached, and is the admin port free (or already
 * served by simbridge). The push URL is probed with a HEAD (a GET when HEAD is refused) and no
 * key: a PUSH_SMS is never sent, so nothing reaches Onlinesim's accounting.
 */

export const checkPushUrl: DoctorCheck = async ({ system, config }) => {
  if (config === null) return [skipped('push-url', 'no usable config')];
  const url = new URL(config.onlinesim.pushUrl);
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  try {
    await system.dnsLookup(host);
  } catch (err) {
    return [
      fail(
        `cannot resolve ${host} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        'without DNS no SMS reaches Onlinesim; they wait in the outbox and are retried.',
        'check the network and /etc/resolv.conf (try: getent hosts ' +
          host +
          '), and the host in onlinesim.pushUrl',
      ),
    ];
  }
  let probe = await system.httpProbe(url.href, 'HEAD');
  if (probe.kind === 'answer' && (probe.status === 405 || probe.status === 501)) {
    probe = await system.httpProbe(url.href, 'GET');
  }
  if (probe.kind === 'error') return [networkFailure(shown, probe.code, probe.message)];
  const status = probe.status;
  if (status === 404) {
    return [
      {
        id: 'push-url',
        status: 'warn',
        summary: `${shown} answers 404 Not Found`,
        why: 'the server answers, but a 404 on this path is suspicious: the PUSH_SMS spec uses HTTP 404 for NO_OPERATION (no active operation for the number), and simbridge ends such a push as rejected, never retried. If the path is wrong, every SMS would be dropped as NO_OPERATION. (A server that only accepts POST may also say 404 to this keyless probe.)',
        fix: 'compare onlinesim.pushUrl, path included, with the URL Onlinesim support gave you',
      },
    ];
  }
  if (status >= 500) {
    return [
      {
        id: 'push-url',
        status: 'warn',
        summary: `${shown} answers ${status}`,
        why: 'the server is reachable but failing right now; pushes are retried every 10 s until it recovers.',
        fix: 'try again later; if it lasts, ask Onlinesim support',
      },
    ];
  }
  return [
    {
      id: 'push-url',
      status: 'pass',
      summary: `${shown} is reachable (HTTP ${status} without a key; no PUSH_SMS sent)`,
    },
  ];
};

function networkFailure(shown: string, code: string, message: string): CheckResult {
  if (/CERT|TLS|SSL|SELF_SIGNED|VERIFY|ISSUER|EXPIRED/i.test(code + message)) {
    return fail(
      `TLS to ${shown} failed (${code})`,
      'the certificate could not be verified; a wrong clock is the usual cause on a Pi, or a proxy intercepting HTTPS.',
      'check the clock (see the clock check), then the URL; never turn verification off',
    );
  }
  if (code === 'ECONNREFUSED') {
    return fail(
      `${shown} refused the connection`,
      'nothing listens there: pushes cannot be delivered.',
      'check the port in onlinesim.pushUrl',
    );
  }
  return fail(
    `no answer from ${shown} (${code})`,
    'pushes wait in the outbox and are retried every 10 s until the server answers.',
    'check the network, a firewall allowing HTTPS out, and the URL in onlinesim.pushUrl',
  );
}

export const checkAdminPort: DoctorCheck = async ({ system, config }) => {
  if (config === null) return [skipped('admin-port', 'no usable config')];
  const listen = config.admin.listen;
  const { host, port } = parseListenAddress(listen);
  const probe = await system.probeListen(host, port);
  if (probe.kind === 'free') {
    return [{ id: 'admin-port', status: 'pass', summary: `admin.listen ${listen} is free` }];
  }
  if (probe.kind === 'in-use' && probe.simbridge) {
    return [{ id: 'admin-port', status: 'pass', summary: `simbridge is already listening on ${listen}` }];
  }
  if (probe.kind === 'in-use') {
    return [
      fail(
        `another program listens on admin.listen ${listen}`,
        'simbridge run would fail to start its admin API (status page, /metrics, /healthz).',
        `find it with: sudo ss -ltnp 'sport = :${port}'; or choose another admin.listen`,
        'admin-port',
      ),
    ];
  }
  return [
    fail(
      `cannot listen on ${listen} (${probe.code})`,
      'simbridge run would fail to start its admin API.',
      probe.code === 'EADDRNOTAVAIL'
        ? 'the address is not one of this machine: use 127.0.0.1 or an address from ip addr'
        : probe.code === 'EACCES'
          ? 'ports below 1024 need privileges: use a port such as 8930'
          : 'check admin.listen',
      'admin-port',
    ),
  ];
};

function fail(summary: string, why: string, fix: string, id = 'push-url'): CheckResult {
  return { id, status: 'fail', summary, why, fix };
}
