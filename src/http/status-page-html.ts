import { createHash } from 'node:crypto';
import { HISTORY_SCRIPT, HISTORY_SECTION, HISTORY_STYLE } from './status-history-html.js';

/**
 * The status page at the admin root: one small HTML document, inline CSS and vanilla JS, no
 * framework and no external asset (a farm may have no internet), cheap on a Raspberry Pi.
 *
 * The script polls `GET /api/status` and rebuilds the tables with `textContent` only: sender
 * names and texts are chosen by whoever sends an SMS, so no received string is ever parsed as
 * HTML. The Content-Security-Policy allows exactly this script and style (by hash), no other
 * source, and `connect-src 'self'` for the poll.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1d2330;--muted:#667085;--line:#e3e6eb;
--ok:#11804a;--warn:#b25e09;--bad:#c0262d;--info:#2a61c9}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1a1f26;--fg:#e6e9ee;--muted:#97a0ad;
--line:#2c333d;--ok:#3ccf7f;--warn:#f0a44b;--bad:#ff6b70;--info:#78a4ff}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline;padding:12px 20px;border-bottom:1px solid var(--line);background:var(--card)}
header h1{font-size:18px;margin:0}
#conn{font-size:12px;color:var(--muted)}
#conn.lost{color:var(--bad);font-weight:600}
main{padding:16px 20px;display:grid;gap:16px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:auto}
h2{font-size:15px;margin:0;padding:10px 12px;border-bottom:1px solid var(--line)}
h2 small{font-weight:400;color:var(--muted);margin-left:8px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 12px;border-bottom:1px solid var(--line);white-space:nowrap;vertical-align:top}
th{white-space:normal;font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
tr:last-child td{border-bottom:0}
td.text{white-space:normal;min-width:24ch;max-width:60ch;overflow-wrap:anywhere}
td.text div{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;line-clamp:3;overflow:hidden}
td.error{white-space:normal;max-width:24ch;overflow-wrap:anywhere;font-size:12px}
.full{color:var(--bad);font-weight:600}
td.sender{white-space:normal;max-width:24ch;overflow-wrap:anywhere}
td.empty{color:var(--muted);text-align:center;padding:14px}
.parts{font-size:12px;margin-top:2px}
/* Notes under a number wrap between words (the confirm command): the table still fits 1280 px. */
td.phone .parts{white-space:normal;max-width:16ch}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;border:1px solid currentColor}
.ok{color:var(--ok)}.warn{color:var(--warn)}.bad{color:var(--bad)}.info{color:var(--info)}.muted{color:var(--muted)}
.bars{display:inline-flex;gap:2px;align-items:flex-end;height:12px;margin-right:6px}
.bars i{display:block;width:4px;background:var(--line);border-radius:1px}
.bars i.on{background:var(--ok)}
#summary,#failures{display:flex;flex-wrap:wrap;gap:24px;padding:10px 12px}
#failures{border-top:1px solid var(--line)}
#summary div b,#failures div b{display:block;font-size:20px}
#summary div span,#failures div span{font-size:12px;color:var(--muted)}
#errors{margin:0;padding:8px 20px;background:var(--bad);color:#fff;display:none}
#build{font-size:12px;color:var(--muted)}
#failures b.bad{color:var(--bad)}
@media (max-width:1400px){.wide{display:none}}
@media (max-width:640px){
header{padding:10px 12px;gap:4px 12px}
main{padding:10px 8px;gap:10px}
.opt{display:none}
th,td{padding:5px 6px}
th{letter-spacing:0;white-space:normal}
td.mono{white-space:normal;overflow-wrap:anywhere;min-width:9ch}
td.text{min-width:0;max-width:none;width:100%}
td.sender{min-width:6ch}
#modems td,#messages td{white-space:normal;overflow-wrap:anywhere}
td.sender{max-width:9ch}
.badge{white-space:nowrap}
#summary,#failures{gap:12px 18px}
}
`;

const SCRIPT = `
'use strict';
(function () {
  var refreshMs = Number(document.body.dataset.refreshMs) || 2000;
  var STATE_CLASS = { ready: 'ok', initializing: 'info', opening: 'info', recovering: 'warn', gone: 'bad',
    delivered: 'ok', pending: 'info', part: 'info', no_operation: 'muted', filtered: 'muted',
    rejected: 'bad', expired: 'bad', invalid: 'bad', not_deliver: 'muted', stopped: 'muted', sending: 'info' };
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function badge(value) {
    return el('span', value, 'badge ' + (STATE_CLASS[value] || 'muted'));
  }
  function ago(iso) {
    if (!iso) return '';
    var ms = Date.now() - Date.parse(iso);
    if (!isFinite(ms)) return String(iso);
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return new Date(iso).toLocaleString();
  }
  function duration(ms) {
    if (ms === null || ms === undefined) return '-';
    var s = Math.round(ms / 1000);
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    return Math.round(s / 3600) + ' h';
  }
  function signal(rssi) {
    var wrap = el('span');
    var bars = el('span', null, 'bars');
    var level = rssi === null || rssi === undefined ? 0 : rssi >= 20 ? 4 : rssi >= 15 ? 3 : rssi >= 10 ? 2 : rssi >= 2 ? 1 : 0;
    for (var i = 1; i <= 4; i++) {
      var bar = el('i', null, i <= level ? 'on' : '');
      bar.style.height = (i * 3) + 'px';
      bars.appendChild(bar);
    }
    wrap.appendChild(bars);
    wrap.appendChild(document.createTextNode(rssi === null || rssi === undefined ? '?' : rssi + '/31'));
    return wrap;
  }
  function cell(row, content, cls) {
    var td = el('td', null, cls);
    if (content instanceof Node) td.appendChild(content); else td.textContent = content === null || content === undefined ? '' : String(content);
    row.appendChild(td);
    return td;
  }
  function fill(tbody, items, columns, render) {
    var rows = items.map(function (item) { var tr = el('tr'); render(tr, item); return tr; });
    if (rows.length === 0) { var tr = el('tr'); var td = cell(tr, 'nothing yet', 'empty'); td.colSpan = columns; rows.push(tr); }
    tbody.replaceChildren.apply(tbody, rows);
  }
  function renderModems(modems) {
    fill(document.querySelector('#modems tbody'), modems, 11, function (tr, m) {
      tr.dataset.port = m.port;
      tr.dataset.health = m.health || 'healthy';
      if (m.health === 'unhealthy') tr.className = 'unhealthy';
      cell(tr, m.port, 'mono');
      var state = cell(tr, badge(m.state), 'state');
      // An unhealthy SIM is not offered to Onlinesim: red, with the reason, on every screen size.
      if (m.health === 'unhealthy') state.appendChild(el('div', 'unhealthy: ' + (m.healthReason || '?'), 'parts health-bad'));
      cell(tr, (m.operator || '-') + (m.registered ? '' : ' (not registered)'), 'opt');
      cell(tr, signal(m.signal), 'opt');
      cell(tr, m.iccid || '-', 'mono opt wide');
      var phone = cell(tr, m.phone || m.discoveredPhone || '-', 'mono phone');
      // A number found by the SIM is not offered until the operator confirms it.
      if (m.numberUnconfirmed) {
        phone.appendChild(el('div', 'unconfirmed: not offered', 'parts warn unconfirmed'));
        phone.appendChild(el('div', m.confirmHint, 'parts muted hint'));
      }
      // The balance read by USSD, under the number (a column of its own would not fit 1280 px).
      if (m.balance !== null && m.balance !== undefined) phone.appendChild(el('div', 'balance ' + m.balance.toFixed(2), 'parts muted balance'));
      var op = m.activeOperation;
      var opCell = cell(tr, op ? '#' + op.id + ' ' + op.service : '-');
      if (op && op.ageMs !== null) opCell.appendChild(el('div', duration(op.ageMs) + ' old', 'parts muted'));
      var st = m.storage;
      var fillText = st.used === null || st.total === null ? '-' : st.used + '/' + st.total;
      cell(tr, fillText, 'storage opt' + (st.total && st.used !== null && st.used >= st.total - 1 ? ' full' : ''));
      cell(tr, String(m.resets), 'opt');
      var err = cell(tr, m.lastError || '-', 'error opt');
      if (m.lastError) err.title = m.lastError;
      var last = cell(tr, m.lastSmsAt ? ago(m.lastSmsAt) : '-', 'opt');
      if (m.smsToday !== null && m.smsToday !== undefined) last.appendChild(el('div', m.smsToday + ' today', 'parts muted today'));
    });
    document.getElementById('modem-count').textContent =
      modems.filter(function (m) { return m.state === 'ready'; }).length + ' of ' + modems.length + ' ready';
  }
  function renderMessages(messages) {
    fill(document.querySelector('#messages tbody'), messages, 7, function (tr, m) {
      tr.dataset.id = String(m.id);
      cell(tr, m.receivedAt ? new Date(m.receivedAt).toLocaleTimeString() : '-');
      cell(tr, m.phone || m.port || '-', 'mono opt');
      cell(tr, m.sender === null || m.sender === undefined ? '-' : m.sender, 'sender');
      var text = m.text === null || m.text === undefined ? '' : m.text;
      // A long SMS is cut to three lines; the whole text is the tooltip.
      var clamp = el('div', text);
      clamp.title = text;
      cell(tr, clamp, 'text');
      var status = cell(tr, badge(m.status));
      if (m.multipart) {
        var parts = m.multipart.partsReceived + '/' + m.multipart.total + ' parts';
        status.appendChild(el('div', m.multipart.complete ? parts : parts + ', incomplete', 'parts muted'));
      }
      cell(tr, m.push ? badge(m.push.state) : el('span', '-', 'muted'), 'opt');
      cell(tr, m.push ? String(m.push.attempts) : '', 'opt');
    });
  }
  function renderRents(rents) {
    var section = document.getElementById('rents-section');
    section.hidden = !rents || rents.length === 0;
    if (section.hidden) return;
    fill(document.querySelector('#rents tbody'), rents, 6, function (tr, r) {
      tr.dataset.id = String(r.id);
      if (r.atRisk) tr.className = 'at-risk';
      cell(tr, '#' + r.id);
      cell(tr, r.phone, 'mono');
      var until = cell(tr, r.rentedUntil ? new Date(r.rentedUntil).toLocaleString() : '-');
      if (r.leftMs !== null) until.appendChild(el('div', r.leftMs >= 0 ? duration(r.leftMs) + ' left' : 'past its end', 'parts muted'));
      cell(tr, String(r.smsCount));
      cell(tr, r.sum === null ? '-' : String(r.sum), 'opt');
      cell(tr, r.atRisk ? el('span', 'at risk: SIM gone', 'badge bad') : el('span', 'in a live modem', 'badge ok'));
    });
  }
  function renderSummary(s) {
    document.getElementById('outbox-depth').textContent = s.outbox.depth === null ? '?' : String(s.outbox.depth);
    document.getElementById('outbox-age').textContent = duration(s.outbox.oldestPendingAgeMs);
    document.getElementById('ops-open').textContent = String(s.operations.open);
    var health = document.getElementById('health');
    health.replaceChildren(el('span', s.badge.text, 'badge ' + s.badge.level));
    health.dataset.level = s.badge.level;
    var f = s.failures;
    ['rejected', 'expired', 'invalid', 'no_operation'].forEach(function (status) {
      var node = document.getElementById('fail-' + status);
      var n = f.lastDay[status];
      node.textContent = String(n) + (f.capped.indexOf(status) >= 0 ? '+' : '');
      node.className = n > 0 && status !== 'no_operation' ? 'bad' : '';
      node.title = f.total ? f.total[status] + ' since the store was created' : '';
    });
    document.getElementById('build').textContent = s.build
      ? 'v' + s.build.version + ', up ' + duration(s.build.uptimeMs) : '';
    var problems = s.health.warnings.concat(s.errors);
    var banner = document.getElementById('errors');
    banner.textContent = problems.join(' - ');
    banner.style.display = problems.length ? 'block' : 'none';
  }
  function setConnection(ok, text) {
    var conn = document.getElementById('conn');
    conn.textContent = text;
    conn.className = ok ? '' : 'lost';
  }
  function refresh() {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, Math.max(refreshMs * 2, 3000));
    fetch('api/status', { cache: 'no-store', signal: controller.signal })
      .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
      .then(function (s) {
        renderModems(s.modems); renderRents(s.rents); renderMessages(s.messages); renderSummary(s);
        document.dispatchEvent(new CustomEvent('simbridge:status', { detail: s }));
        setConnection(true, 'updated ' + new Date().toLocaleTimeString());
        document.body.dataset.updates = String((Number(document.body.dataset.updates) || 0) + 1);
      })
      .catch(function (err) { setConnection(false, 'connection lost (' + err.message + '), retrying'); })
      .finally(function () { clearTimeout(timer); setTimeout(refresh, refreshMs); });
  }
  refresh();
})();
`;

/** The page's whole style and script: the core tables, then the history section's. */
const PAGE_STYLE = STYLE + HISTORY_STYLE;
const PAGE_SCRIPT = SCRIPT + HISTORY_SCRIPT;

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** The page's Content-Security-Policy: its own inline script and style, polling itself only. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(PAGE_SCRIPT)}`,
  `style-src ${cspHash(PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Polling period of the page. */
export const DEFAULT_STATUS_REFRESH_MS = 2_000;

/** The HTML document of the status page; `refreshMs` is how often it polls `api/status`. */
export function renderStatusPage(options: { refreshMs?: number; title?: string } = {}): string {
  const refreshMs = Math.max(250, Math.round(options.refreshMs ?? DEFAULT_STATUS_REFRESH_MS));
  const title = escapeHtml(options.title ?? 'simbridge');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title} status</title>
<style>${PAGE_STYLE}</style>
</head>
<body data-refresh-ms="${refreshMs}">
<header><h1>${title}</h1><span id="health"></span><span id="modem-count" class="muted"></span><span id="conn">loading...</span><span id="build"></span></header>
<p id="errors" role="alert"></p>
<main>
<section aria-labelledby="h-summary"><h2 id="h-summary">Outbox and failures</h2>
<div id="summary">
<div><b id="outbox-depth">-</b><span>pushes pending</span></div>
<div><b id="outbox-age">-</b><span>oldest pending</span></div>
<div><b id="ops-open">-</b><span>operations open</span></div>
</div>
<div id="failures" aria-label="last 24 hours">
<div><b id="fail-rejected">-</b><span>rejected, 24 h</span></div>
<div><b id="fail-expired">-</b><span>expired, 24 h</span></div>
<div><b id="fail-invalid">-</b><span>invalid, 24 h</span></div>
<div><b id="fail-no_operation">-</b><span>no operation, 24 h</span></div>
</div></section>
<section aria-labelledby="h-modems"><h2 id="h-modems">Modems</h2>
<table id="modems"><thead><tr><th>Port</th><th>State</th><th class="opt">Operator</th><th class="opt">Signal</th><th class="opt wide">ICCID</th><th>Phone</th><th>Active operation</th><th class="opt">SIM storage</th><th class="opt">Resets</th><th class="opt">Last error</th><th class="opt">Last SMS</th></tr></thead><tbody></tbody></table>
</section>
<section id="rents-section" aria-labelledby="h-rents" hidden><h2 id="h-rents">Rents<small>active, at risk first</small></h2>
<table id="rents"><thead><tr><th>Rent</th><th>Phone</th><th>Rented until</th><th>SMS</th><th class="opt">Sum</th><th>SIM</th></tr></thead><tbody></tbody></table>
</section>
${HISTORY_SECTION}
<section aria-labelledby="h-messages"><h2 id="h-messages">Recent messages<small>newest first</small></h2>
<table id="messages"><thead><tr><th>Received</th><th class="opt">SIM</th><th>Sender</th><th>Text</th><th>Status</th><th class="opt">Push</th><th class="opt">Attempts</th></tr></thead><tbody></tbody></table>
</section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
