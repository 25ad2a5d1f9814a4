/** Germany: the service screen's Kassenmeldung (§146a Abs. 4 AO) — the till's and its TSE's particulars the store reports to its tax office. */
import type { Snapshot } from '../../../protocol/terminal';
import { useMessages } from '../shared/messages';

export function KassenmeldungPanel(props: { tse: NonNullable<Snapshot['tse']>; timeZone: string }) {
  const { t, locale } = useMessages();
  const m = t.market.meldung;
  const k = props.tse.meldung;
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { timeZone: props.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section aria-labelledby="service-meldung-title" className="service-identity" data-testid="service-kassenmeldung">
      <h3 id="service-meldung-title">{m.title}</h3>
      {k ? (
        <dl className="facts">
          <dt>{m.tseSerial}</dt>
          <dd data-testid="meldung-tse-serial" className="mono break">{k.tseSerialNumber}</dd>
          <dt>{m.tseKey}</dt>
          <dd className="mono break">{k.tsePublicKey}</dd>
          <dt>{m.tseCertificate}</dt>
          <dd>{k.tseCertificate ? k.tseCertificate.slice(0, 64) : m.tseNoCertificate}</dd>
          <dt>{m.tseSince}</dt>
          <dd>{when(k.tseCommissionedAt)}</dd>
          <dt>{m.tillSerial}</dt>
          <dd data-testid="meldung-till-serial">{k.tillSerialNumber}</dd>
          <dt>{m.maker}</dt>
          <dd>
            {k.manufacturer} · {k.model}
          </dd>
          <dt>{m.software}</dt>
          <dd>{k.softwareVersion}</dd>
          <dt>{m.tillSince}</dt>
          <dd>{when(k.tillCommissionedAt)}</dd>
          <dt>{m.location}</dt>
          <dd data-testid="meldung-location">
            {k.storeName}
            {k.location ? `, ${k.location}` : ''}
          </dd>
        </dl>
      ) : (
        <p>{m.pending}</p>
      )}
      <p className="meldung-export">{m.exportHint}</p>
    </section>
  );
}
