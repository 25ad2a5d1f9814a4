/** HQ connection, sales replication and catalog detail for store IT (inside the service screen). */
import type { Snapshot } from '../../../protocol/terminal';
import { ageText } from '../format';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';

type OsView = NonNullable<NonNullable<Snapshot['catalog']>['os']>;

/** The OS update line: the OS running, then where an update stands. */
function osLine(h: ReturnType<typeof useMessages>['t']['hq'], os: OsView): string {
  const running = fill(h.osState.idle, { running: os.running });
  if (os.state === 'idle') return running;
  const key = os.state !== 'refused' ? os.state : os.detail === 'ROLLED_BACK' ? 'rolledBack' : os.detail?.startsWith('NOT_RUNNING') ? 'notRunning' : 'refused';
  return `${running} · ${fill(h.osState[key], { version: os.version ?? '?', running: os.running, reason: os.detail ?? '' })}`;
}

export function HqStatus({ snap }: { snap: Snapshot }) {
  const { t } = useMessages();
  const h = t.hq;
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(snap.profile.locale, { dateStyle: 'short', timeStyle: 'short', timeZone: snap.profile.timeZone }) : h.never);
  const lang = snap.profile.locale;
  if (!snap.sync && !snap.catalog) {
    return (
      <section aria-label={h.title} data-testid="hq-status">
        <h3>{h.title}</h3>
        <p>{h.notEnrolled}</p>
      </section>
    );
  }
  const s = snap.sync;
  const c = snap.catalog;
  return (
    <section aria-label={h.title} data-testid="hq-status">
      <h3>{h.title}</h3>
      <dl className="facts">
        {s ? (
          <>
            <dt>{h.sync}</dt>
            <dd data-testid="hq-online">{s.online ? `● ${h.online}` : `▲ ${h.offline}`}</dd>
            <dt>{h.backlog}</dt>
            <dd data-testid="hq-backlog">
              {s.backlog}
              {s.oldestUnsentAt ? ` (${h.oldest}: ${ageText(s.oldestUnsentAt, lang)})` : ''}
            </dd>
            <dt>{h.lastSync}</dt>
            <dd>{when(s.lastSuccess)}</dd>
            {s.quarantined ? (
              <>
                <dt>{h.quarantined}</dt>
                <dd>{s.quarantined}</dd>
              </>
            ) : null}
            {s.lastError ? (
              <>
                <dt>{h.lastError}</dt>
                <dd className="detail">{s.lastError}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {c ? (
          <>
            <dt>{h.catalog}</dt>
            <dd data-testid="hq-catalog">
              {h.version} {c.version} · {c.items} {h.items}
              {c.stale ? ` · ▲ ${h.stale}` : ''}
              {c.applying ? <div className="detail">{fill(h.applying, { version: c.applying.version, done: c.applying.done, total: c.applying.total })}</div> : null}
            </dd>
            <dt>{h.published}</dt>
            <dd>{when(c.publishedAt)}</dd>
            <dt>{h.applied}</dt>
            <dd>{when(c.appliedAt)}</dd>
            <dt>{h.expires}</dt>
            <dd>{when(c.expiresAt)}</dd>
            <dt>{h.lastCheck}</dt>
            <dd>{when(c.lastCheck)}</dd>
            {c.os ? (
              <>
                <dt>{h.os}</dt>
                <dd data-testid="hq-os">{osLine(h, c.os)}</dd>
              </>
            ) : null}
            {c.lastError ? (
              <>
                <dt>{h.lastError}</dt>
                <dd className="detail" data-testid="hq-catalog-error">
                  {c.lastError}
                </dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
    </section>
  );
}
