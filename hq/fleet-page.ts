/**
 * The fleet page for HQ and store IT, served by HQ: a static page (no inline script: the CSP forbids
 * it) that asks for the staff token, keeps it for the browser tab only, and shows per store and
 * terminal the last contact, backlog and its age, gaps, clock skew, software and catalog version,
 * device health, open alerts and revocation.
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
<table id="fleet" hidden>
  <caption>Terminals by store and lane</caption>
  <thead><tr><th scope="col">Store</th><th scope="col">Lane</th><th scope="col">Terminal</th><th scope="col">Last contact</th><th scope="col">Sales at HQ</th><th scope="col">Waiting on the terminal</th><th scope="col">Gaps</th><th scope="col">Clock</th><th scope="col">Software</th><th scope="col">Catalog</th><th scope="col">Devices</th><th scope="col">Open alerts</th><th scope="col">State</th></tr></thead>
  <tbody></tbody>
</table>
</main>
</body>
</html>`;

export const FLEET_CSS = `body{font:16px/1.4 system-ui,sans-serif;margin:0;background:#f5f6f7;color:#111}
header{background:#17212b;color:#fff;padding:12px 20px}h1{margin:0;font-size:1.4rem}
main{padding:20px}form{display:flex;gap:8px;align-items:center;margin-bottom:12px}
input,button{font:inherit;padding:8px 12px;min-height:44px}button{background:#17212b;color:#fff;border:0;border-radius:6px}
table{border-collapse:collapse;width:100%;background:#fff}caption{text-align:left;font-weight:700;padding:8px 0}
th,td{border-bottom:1px solid #ccd;padding:8px;text-align:left}.bad{color:#a00;font-weight:700}.ok{color:#064}`;

export const FLEET_JS = `'use strict';
(function () {
  var form = document.getElementById('login');
  var input = document.getElementById('token');
  var status = document.getElementById('status');
  var table = document.getElementById('fleet');
  var body = table.querySelector('tbody');
  function ago(iso) {
    if (!iso) return 'never';
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    return s < 90 ? s + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  function load() {
    var token = sessionStorage.getItem('kassaHqToken');
    if (!token) return;
    fetch('/v1/fleet', { headers: { authorization: 'Bearer ' + token } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) {
        if (!r.ok) { status.textContent = r.body.message || 'refused'; table.hidden = true; return; }
        body.textContent = '';
        r.body.terminals.forEach(function (t) {
          var tr = document.createElement('tr');
          tr.setAttribute('data-terminal', t.terminal_id);
          cell(tr, t.store_id); cell(tr, t.lane_id); cell(tr, t.terminal_id);
          cell(tr, ago(t.last_contact));
          cell(tr, String(t.sales));
          cell(tr, (t.backlog_count || 0) + (t.backlog_oldest ? ' (oldest ' + ago(t.backlog_oldest) + ')' : ''));
          cell(tr, t.gaps ? 'missing after ' + t.acked_through : 'none', t.gaps ? 'bad' : 'ok');
          cell(tr, t.skew_ms === null ? '–' : (t.skewFlag ? 'off by ' : '') + Math.round(t.skew_ms / 1000) + ' s', t.skewFlag ? 'bad' : '');
          cell(tr, t.software_version || '–');
          var latest = r.body.catalog ? r.body.catalog.version : null;
          var cv = t.catalog_version;
          cell(tr, cv === null || cv === undefined ? '–' : 'v' + cv + (latest !== null && cv < latest ? ' (behind v' + latest + ')' : ''), latest !== null && cv !== null && cv < latest ? 'bad' : '');
          var devs = t.devices || [];
          var down = devs.filter(function (d) { return d.state !== 'online'; });
          cell(tr, devs.length ? (down.length ? down.map(function (d) { return d.id + ' ' + d.state; }).join(', ') : 'all ' + devs.length + ' online') : '–', down.length ? 'bad' : devs.length ? 'ok' : '');
          var alerts = t.alerts || [];
          cell(tr, alerts.length ? alerts.map(function (a) { return a.message; }).join('; ') : 'none', alerts.length ? 'bad' : 'ok');
          cell(tr, t.revoked_at ? 'revoked' : 'active', t.revoked_at ? 'bad' : 'ok');
          body.appendChild(tr);
        });
        table.hidden = false;
        status.textContent = r.body.terminals.length + ' terminals, updated ' + new Date().toLocaleTimeString();
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
