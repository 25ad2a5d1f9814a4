/**
 * Store IT's parts of the service screen (IT number and PIN): the terminal's identity, the log
 * viewer, the device configuration editor, the diagnostics export to a USB drive, and the kiosk
 * exit. Pure views: the service screen sends the commands and hands the results in.
 */
import { useEffect, useRef, useState } from 'react';
import { LIMITS, type DeviceConfigProblem, type DeviceConfigResult, type DiagnosticsResult, type ServiceInfo, type ServiceLog } from '../../../protocol/terminal';
import { fill, type Messages } from '../i18n';
import { useMessages } from '../shared/messages';

type It = Messages['dev']['it'];

/** Uptime in words: "3 d 4 h", "2 h 5 min", "45 s". */
function uptime(seconds: number, it: It): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d) return fill(it.uptimeDays, { d, h });
  if (h) return fill(it.uptimeHours, { h, m });
  if (m) return fill(it.uptimeMinutes, { m });
  return fill(it.uptimeSeconds, { s: seconds });
}

export function IdentityPanel(props: { info: ServiceInfo | null; timeZone: string }) {
  const { info, timeZone } = props;
  const { t, locale } = useMessages();
  const it = t.dev.it;
  if (!info) return <p data-testid="service-identity-loading">{it.loading}</p>;
  return (
    <section aria-labelledby="service-identity-title" className="service-identity" data-testid="service-identity">
      <h3 id="service-identity-title">{it.identity}</h3>
      <dl className="facts">
        <dt>{it.store}</dt>
        <dd data-testid="service-store">
          {info.storeName} ({info.storeId})
        </dd>
        <dt>{it.lane}</dt>
        <dd data-testid="service-lane">{info.laneId}</dd>
        <dt>{it.terminalId}</dt>
        <dd data-testid="service-terminal">{info.terminalId ? `${info.terminalId}${info.hqUrl ? ` — ${info.hqUrl}` : ''}` : it.notEnrolled}</dd>
        <dt>{it.software}</dt>
        <dd data-testid="service-software">{info.softwareVersion}</dd>
        <dt>{it.catalog}</dt>
        <dd data-testid="service-catalog">{fill(it.catalogValue, { version: info.catalog.version ?? it.none, items: info.catalog.items.toLocaleString(locale) })}</dd>
        <dt>{it.database}</dt>
        <dd className="mono">{info.database}</dd>
        <dt>{it.devicesFile}</dt>
        <dd className="mono">{info.devicesFile ?? it.noDevicesFile}</dd>
        <dt>{it.profile}</dt>
        <dd>
          {info.country} · {info.locale}
        </dd>
        <dt>{it.runtime}</dt>
        <dd>
          Node {info.node} · {info.platform}
        </dd>
        <dt>{it.uptime}</dt>
        <dd data-testid="service-uptime">
          {uptime(info.uptimeSeconds, it)} ({fill(it.since, { time: new Date(info.startedAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short', timeZone }) })})
        </dd>
      </dl>
    </section>
  );
}

export function LogPanel(props: { log: ServiceLog | null; timeZone: string; load: (filter: string) => void }) {
  const { log, load } = props;
  const { t, locale } = useMessages();
  const it = t.dev.it;
  const [filter, setFilter] = useState('');
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [log]);
  const time = (iso: string) => new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: props.timeZone });
  return (
    <section aria-labelledby="service-log-title" data-testid="service-log">
      <h3 id="service-log-title">{it.log}</h3>
      <form
        className="service-row"
        onSubmit={(e) => {
          e.preventDefault();
          load(filter);
        }}
      >
        <label>
          {it.logFilter}
          <input value={filter} maxLength={100} onChange={(e) => setFilter(e.target.value)} data-testid="service-log-filter" />
        </label>
        <button type="submit" data-testid="service-log-show">
          {it.logShow}
        </button>
        <button type="button" onClick={() => load(filter)} data-testid="service-log-refresh">
          {it.logRefresh}
        </button>
      </form>
      {log ? (
        <p className="detail left" role="status" data-testid="service-log-count">
          {log.filter ? fill(it.logCountFiltered, { n: log.lines.length, total: log.total, filter: log.filter }) : fill(it.logCount, { n: log.lines.length })}
          {log.truncated ? ` ${it.logTruncated}` : ''}
        </p>
      ) : null}
      <pre ref={pre} tabIndex={0} className="service-log" aria-label={it.log} data-testid="service-log-lines">
        {log ? (log.lines.length ? log.lines.map((l) => `${time(l.at)}  ${l.text}`).join('\n') : it.logEmpty) : it.loading}
      </pre>
    </section>
  );
}

/** One configuration problem in the lane's language: where it is, and what is wrong. */
export function problemText(p: DeviceConfigProblem, t: Messages): string {
  const it = t.dev.it;
  const pr = it.problems;
  const param = (k: string) => String(p.params[k] ?? '');
  let what: string;
  switch (p.code) {
    case 'wrongType':
      what = fill(pr.wrongType, { expected: it.types[param('expected') as keyof It['types']] ?? param('expected') });
      break;
    case 'tooSmall':
      what = fill(param('origin') === 'number' ? pr.tooSmall : pr.tooShort, p.params);
      break;
    case 'tooBig':
      what = fill(param('origin') === 'number' ? pr.tooBig : pr.tooLong, p.params);
      break;
    case 'format': {
      const hint = param('hint');
      what = hint === 'id' ? pr.formatId : hint === 'path' ? fill(param('options') ? pr.formatPathOr : pr.formatPath, p.params) : p.message;
      break;
    }
    case 'invalid':
      what = p.message;
      break;
    default:
      what = fill(pr[p.code], p.params);
  }
  const where = p.device === null ? (p.field ? fill(it.whereFile, { field: p.field }) : it.wholeFile) : p.field ? fill(it.whereField, { device: p.device, field: p.field }) : fill(it.whereDevice, { device: p.device });
  return `${where}: ${what}`;
}

export function ConfigPanel(props: {
  config: DeviceConfigResult | null;
  outcome: DeviceConfigResult | null;
  reload: () => void;
  submit: (text: string, save: boolean) => void;
}) {
  // Long (~95 lines): the editor, its three buttons and the problems list read one draft; mostly markup.
  const { config, outcome, reload, submit } = props;
  const { t } = useMessages();
  const it = t.dev.it;
  const [draft, setDraft] = useState<string | null>(null);
  // The loaded text fills the editor until it is edited.
  const text = draft ?? config?.text ?? '';
  const tooLong = text.length > LIMITS.deviceConfig;
  const run = (save: boolean) => submit(text, save);
  const source = config ? (config.source === 'file' ? fill(it.configFile, { file: config.file ?? '' }) : fill(config.source === 'demo' ? it.configDemo : it.configNone, { file: config.file ?? '' })) : it.loading;
  const hasResult = outcome && outcome.text === text;
  return (
    <section aria-labelledby="service-config-title" data-testid="service-config">
      <h3 id="service-config-title">{it.config}</h3>
      <p className="detail left" data-testid="service-config-source">
        {source}
      </p>
      <label className="block">
        {it.configLabel}
        <textarea
          className="config-editor"
          value={text}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          rows={16}
          aria-describedby="service-config-help"
          aria-invalid={hasResult && outcome.problems.length > 0 ? true : undefined}
          onChange={(e) => setDraft(e.target.value)}
          // Escape closes the service screen: not while the editor holds unsaved changes.
          onKeyDown={(e) => e.key === 'Escape' && draft !== null && draft !== config?.text && e.stopPropagation()}
          data-testid="service-config-text"
        />
      </label>
      <p id="service-config-help" className="detail left">
        {it.configHelp}
        {tooLong ? ` ${fill(it.configTooLong, { max: LIMITS.deviceConfig })}` : ''}
      </p>
      <div className="service-row">
        <button type="button" disabled={tooLong} onClick={() => run(false)} data-testid="service-config-check">
          {it.configCheck}
        </button>
        <button type="button" className="primary" disabled={tooLong} onClick={() => run(true)} data-testid="service-config-save">
          {it.configSave}
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(null);
            reload();
          }}
          data-testid="service-config-reload"
        >
          {it.configReload}
        </button>
      </div>
      {hasResult ? (
        outcome.problems.length ? (
          <div className="message error left" role="alert" data-testid="service-config-problems">
            <p>
              <span aria-hidden="true">⚠ </span>
              {fill(outcome.problems.length === 1 ? it.problemsOne : it.problemsMany, { n: outcome.problems.length })}
            </p>
            <ul>
              {outcome.problems.map((p, i) => (
                <li key={i}>{problemText(p, t)}</li>
              ))}
            </ul>
          </div>
        ) : (
          <div className="message info left" role="status" data-testid="service-config-ok">
            <span aria-hidden="true">✓ </span>
            {outcome.saved ? fill(it.configSaved, { file: outcome.file ?? '', n: outcome.started ?? 0 }) : it.configValid}
            {outcome.notes.length ? (
              <ul>
                {outcome.notes.map((n) => (
                  <li key={n} lang="en">
                    {n}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )
      ) : null}
    </section>
  );
}

export function DiagnosticsPanel(props: { info: ServiceInfo | null; result: DiagnosticsResult | null; exportTo: (target: string) => void; refresh: () => void }) {
  const { info, result, exportTo, refresh } = props;
  const it = useMessages().t.dev.it;
  const targets = info?.usbTargets ?? [];
  const [target, setTarget] = useState<string | null>(null);
  const chosen = target && targets.some((x) => x.path === target) ? target : (targets[0]?.path ?? null);
  return (
    <section aria-labelledby="service-diag-title" data-testid="service-diagnostics">
      <h3 id="service-diag-title">{it.diagnostics}</h3>
      <p className="left">{it.diagnosticsWhat}</p>
      {targets.length === 0 ? (
        <p className="left" data-testid="service-usb-none">
          {fill(it.usbNone, { roots: info?.usbRoots.join(', ') ?? '' })}
        </p>
      ) : (
        <fieldset className="usb-targets">
          <legend>{it.usbDrive}</legend>
          {targets.map((x) => (
            <label key={x.path} className="choice">
              <input type="radio" name="usb-target" value={x.path} checked={chosen === x.path} onChange={() => setTarget(x.path)} data-testid={`service-usb-${x.label}`} />
              <span>
                {x.label} <small className="mono">{x.path}</small>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="service-row">
        <button type="button" className="primary" disabled={!chosen} onClick={() => chosen && exportTo(chosen)} data-testid="service-export">
          {it.exportButton}
        </button>
        <button type="button" onClick={refresh} data-testid="service-usb-refresh">
          {it.usbRefresh}
        </button>
      </div>
      {result ? (
        <div className="message info left" role="status" data-testid="service-export-done">
          <span aria-hidden="true">✓ </span>
          {fill(it.exportDone, { folder: result.folder, n: result.files.length, kb: Math.max(1, Math.round(result.bytes / 1024)) })}
        </div>
      ) : null}
    </section>
  );
}

/** The kiosk exit: asks first, then sends; IT PIN checked by the core. */
export function ExitKiosk(props: { done: boolean; exit: () => void }) {
  const it = useMessages().t.dev.it;
  const [asking, setAsking] = useState(false);
  if (props.done)
    return (
      <p className="message info" role="status" data-testid="exit-kiosk-done">
        {it.exitDone}
      </p>
    );
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} data-testid="exit-kiosk">
        {it.exit}
      </button>
    );
  return (
    <div className="exit-confirm" role="group" aria-labelledby="exit-kiosk-question" data-testid="exit-kiosk-confirm">
      <p id="exit-kiosk-question">{it.exitQuestion}</p>
      <div className="service-row">
        <button type="button" autoFocus onClick={() => setAsking(false)} data-testid="exit-kiosk-cancel">
          {it.exitCancel}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            setAsking(false);
            props.exit();
          }}
          data-testid="exit-kiosk-yes"
        >
          {it.exitConfirm}
        </button>
      </div>
    </div>
  );
}
