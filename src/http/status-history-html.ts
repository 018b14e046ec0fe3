import { SPARKLINE_HEIGHT, SPARKLINE_WIDTH } from './status-history.js';

/**
 * The status page's history section: two inline SVG sparklines (SMS per minute, mean push
 * latency per minute, last hour) and their totals. No chart library and no external asset: the
 * server computes the path data (status-sparkline.ts) and this script only sets attributes and
 * `textContent` on each `simbridge:status` event the page's poll dispatches.
 */

export const HISTORY_STYLE = `
#history{display:flex;flex-wrap:wrap;gap:16px 32px;padding:10px 12px}
#history figure{margin:0}
#history figcaption{font-size:12px;color:var(--muted)}
#history figcaption b{font-size:16px;color:var(--fg);margin-right:6px}
#history svg{display:block;width:${SPARKLINE_WIDTH}px;height:${SPARKLINE_HEIGHT}px;overflow:visible}
#history path{fill:none;stroke:var(--info);stroke-width:1.5;vector-effect:non-scaling-stroke}
#history path.latency{stroke:var(--warn)}
#history line{stroke:var(--line);stroke-width:1}
.health-bad{color:var(--bad);font-weight:600}
tr.unhealthy td:first-child{box-shadow:inset 3px 0 var(--bad)}
`;

const box = `viewBox="0 0 ${SPARKLINE_WIDTH} ${SPARKLINE_HEIGHT}" preserveAspectRatio="none"`;
const baseline = `<line x1="0" y1="${SPARKLINE_HEIGHT}" x2="${SPARKLINE_WIDTH}" y2="${SPARKLINE_HEIGHT}"></line>`;

export const HISTORY_SECTION = `<section aria-labelledby="h-history"><h2 id="h-history">Last hour<small>per minute</small></h2>
<div id="history">
<figure><svg id="spark-sms" ${box} role="img" aria-label="SMS per minute, last hour">${baseline}<path d=""></path></svg>
<figcaption><b id="hist-sms">-</b>SMS in the last hour, <span id="hist-sms-peak">-</span> at most per minute; <span id="hist-today">-</span> today</figcaption></figure>
<figure><svg id="spark-latency" ${box} role="img" aria-label="Mean push latency per minute, last hour">${baseline}<path class="latency" d=""></path></svg>
<figcaption><b id="hist-latency">-</b>mean push latency (receipt to Onlinesim), <span id="hist-delivered">-</span> delivered</figcaption></figure>
</div></section>`;

export const HISTORY_SCRIPT = `
'use strict';
(function () {
  function text(id, value) { var node = document.getElementById(id); if (node) node.textContent = String(value); }
  function ms(value) {
    if (value === null || value === undefined) return '-';
    return value < 1000 ? value + ' ms' : (Math.round(value / 100) / 10) + ' s';
  }
  document.addEventListener('simbridge:status', function (event) {
    var h = event.detail && event.detail.history;
    if (!h) return;
    document.querySelector('#spark-sms path').setAttribute('d', h.smsPath);
    document.querySelector('#spark-latency path').setAttribute('d', h.latencyPath);
    text('hist-sms', h.lastHour.sms);
    text('hist-sms-peak', Math.max.apply(null, h.smsPerMinute.concat([0])));
    text('hist-today', h.today.sms);
    text('hist-latency', ms(h.lastHour.latencyMeanMs));
    text('hist-delivered', h.lastHour.delivered);
  });
})();
`;
