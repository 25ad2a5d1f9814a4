/**
 * The fleet page for HQ and store IT, served by HQ: a static page (no inline script: the CSP forbids
 * it) that asks for the staff token, keeps it for the browser tab only, and shows per store and
 * terminal the last contact, backlog and its age, gaps, clock skew, software and catalog version,
 * device health, open alerts and revocation — with a summary of the lanes that need attention,
 * those lanes first, and what is wrong with each in words. HQ decides the problems
 * (hq/fleet-problems.ts) and sends its own time: ages here are counted from HQ's clock.
 */
export const FLEET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kassa HQ — fleet</title>
<link rel="stylesheet" href="/fleet.css">
<script src="/fleet.js" defer></script>
</head>
<body>
<header><h1>Kassa HQ — fleet</h1></header>
<main>
<form id="login" aria-label="Staff sign-in">
  <label for="token">Staff token</label>
  <input id="token" type="password" autocomplete="off" required>
  <button type="submit">Show fleet</button>
</form>
<p id="status" role="status"></p>
<p id="summary" role="status" hidden></p>
<div class="scroll">
<table id="fleet" hidden>
  <caption>Terminals, those needing attention first</caption>
  <thead><tr><th scope="col">Store</th><th scope="col">Lane</th><th scope="col">State</th><th scope="col">Last contact</th><th scope="col">Sales at HQ</th><th scope="col">Waiting on the terminal</th><th scope="col">Gaps</th><th scope="col">Catalog</th><th scope="col">Devices</th><th scope="col">Open alerts</th><th scope="col">Clock</th><th scope="col">Software</th><th scope="col">Terminal</th></tr></thead>
  <tbody></tbody>
</table>
</div>
</main>
</body>
</html>`;

export const FLEET_CSS = `body{font:16px/1.4 system-ui,sans-serif;margin:0;background:#f5f6f7;color:#111}
header{background:#17212b;color:#fff;padding:12px 20px}h1{margin:0;font-size:1.4rem}
main{padding:20px}form{display:flex;gap:8px;align-items:center;margin-bottom:12px}
input,button{font:inherit;padding:8px 12px;min-height:44px}button{background:#17212b;color:#fff;border:0;border-radius:6px}
#status{margin:0 0 8px;color:#444}
#summary{margin:0 0 12px;padding:10px 14px;border-radius:6px;font-weight:700;border-left:6px solid}
#summary.attention{background:#fff4e0;border-color:#b35c00;color:#6b3400}#summary.fine{background:#e8f5ee;border-color:#064;color:#064}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.875rem}caption{text-align:left;font-weight:700;padding:8px 0;font-size:1rem}
th,td{border-bottom:1px solid #ccd;padding:6px 8px;text-align:left;vertical-align:top}th{background:#eef0f3;font-size:.8rem}
td.id{font-family:ui-monospace,monospace;font-size:.75rem;word-break:break-all;min-width:8em}td.id .head{margin-top:4px;color:#555;word-break:normal;overflow-wrap:anywhere}td.id .head.bad{color:#a00}.nowrap{white-space:nowrap}
td[data-col=state]{min-width:14em}td[data-col=last-contact]{white-space:nowrap}
@media (max-width:1100px){th,td{padding:5px 4px}th:first-child,td:first-child{padding-left:10px}td[data-col=state]{min-width:11em}td.id{min-width:6.5em}}
th:first-child,td:first-child{padding-left:12px}tr.attention td{background:#fffaf0}tr.attention td:first-child{box-shadow:inset 5px 0 0 #b35c00}
.bad{color:#a00;font-weight:700}.ok{color:#064}.muted{color:#555}
td ul{margin:0;padding-left:1.1em}td li{margin:0}`;

export const FLEET_JS = `'use strict';
(function () {
  var form = document.getElementById('login');
  var input = document.getElementById('token');
  var status = document.getElementById('status');
  var summary = document.getElementById('summary');
  var table = document.getElementById('fleet');
  var body = table.querySelector('tbody');
  /** How long before HQ's time (the answer's "now"), in words. */
  function ago(iso, now) {
    if (!iso) return 'never';
    var s = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
    return (s < 90 ? s + ' s' : s < 5400 ? Math.round(s / 60) + ' min' : s < 172800 ? Math.round(s / 3600) + ' h' : Math.round(s / 86400) + ' d') + ' ago';
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function has(t, code) {
    return t.problems.some(function (p) { return p.code === code; });
  }
  function stateCell(tr, t) {
    if (t.revoked_at) return cell(tr, 'revoked', 'muted');
    if (!t.problems.length) return cell(tr, '✓ active', 'ok');
    var td = cell(tr, '⚠ needs attention', 'bad');
    var ul = document.createElement('ul');
    t.problems.forEach(function (p) {
      var li = document.createElement('li');
      li.textContent = p.text;
      ul.appendChild(li);
    });
    td.appendChild(ul);
    return td;
  }
  function row(t, answer) {
    var now = answer.now;
    var latest = answer.catalog ? answer.catalog.version : null;
    var tr = document.createElement('tr');
    tr.setAttribute('data-terminal', t.terminal_id);
    if (t.problems.length) tr.className = 'attention';
    cell(tr, t.store_id, 'nowrap'); cell(tr, t.lane_id, 'nowrap');
    stateCell(tr, t).setAttribute('data-col', 'state');
    var stale = has(t, 'stale');
    cell(tr, (stale ? '⚠ ' : '') + ago(t.last_contact, now), stale ? 'bad stale' : '').setAttribute('data-col', 'last-contact');
    cell(tr, String(t.sales), has(t, 'neverSold') ? 'bad' : '');
    cell(tr, (t.backlog_count || 0) + (t.backlog_oldest ? ' (oldest ' + ago(t.backlog_oldest, now) + ')' : ''), has(t, 'behind') ? 'bad' : '');
    cell(tr, t.gaps ? 'missing after ' + t.acked_through : 'none', t.gaps ? 'bad' : 'ok');
    var cv = t.catalog_version;
    var behind = latest !== null && (cv === null || cv === undefined || cv < latest);
    cell(tr, (cv ? 'v' + cv : 'none') + (behind ? ' (HQ has v' + latest + ')' : ''), has(t, 'noCatalog') || has(t, 'oldCatalog') ? 'bad' : '');
    var devs = t.devices || [];
    var down = devs.filter(function (d) { return d.state !== 'online'; });
    var broken = down.some(function (d) { return d.state !== 'starting'; });
    cell(tr, devs.length ? (down.length ? down.map(function (d) { return d.id + ' ' + d.state; }).join(', ') : 'all ' + devs.length + ' online') : '–', broken ? 'bad' : devs.length && !down.length ? 'ok' : '');
    var alerts = t.alerts || [];
    cell(tr, alerts.length ? alerts.map(function (a) { return a.message; }).join('; ') : 'none', alerts.length ? 'bad' : 'ok');
    cell(tr, t.skew_ms === null ? '–' : (t.skewFlag ? 'off by ' : '') + Math.round(t.skew_ms / 1000) + ' s', t.skewFlag ? 'bad' : '');
    cell(tr, t.software_version || '–');
    var id = cell(tr, t.terminal_id, 'id');
    // Under it, the head of its journal chain HQ checked: the anchor its verifier takes (npm run journal:verify -- --anchor).
    if (t.chain_hash) {
      var head = document.createElement('div');
      head.className = has(t, 'journal') ? 'head bad' : 'head';
      head.textContent = 'journal head ' + t.chain_seq + ':' + t.chain_hash.slice(0, 12) + '…';
      head.title = t.chain_seq + ':' + t.chain_hash;
      id.appendChild(head);
    }
    return tr;
  }
  function show(answer) {
    body.textContent = '';
    answer.terminals.forEach(function (t) { body.appendChild(row(t, answer)); });
    table.hidden = false;
    summary.hidden = false;
    summary.textContent = (answer.attention.lanes ? '⚠ ' : '✓ ') + answer.attention.text;
    summary.className = answer.attention.lanes ? 'attention' : 'fine';
    status.textContent = answer.terminals.length + ' terminals, updated ' + new Date(answer.now).toLocaleTimeString('en-GB');
  }
  function load() {
    var token = sessionStorage.getItem('kassaHqToken');
    if (!token) return;
    fetch('/v1/fleet', { headers: { authorization: 'Bearer ' + token } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) {
        if (!r.ok) { status.textContent = r.body.message || 'refused'; table.hidden = true; summary.hidden = true; return; }
        show(r.body);
      })
      .catch(function () { status.textContent = 'HQ did not answer'; });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    sessionStorage.setItem('kassaHqToken', input.value);
    input.value = '';
    load();
  });
  load();
  setInterval(load, 10000);
})();`;
