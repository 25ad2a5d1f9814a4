/** The service screen's market profile (issue 21): country, currency, cash rounding, VAT letters and the variable-measure rules. */
import type { Profile } from '../../../protocol/terminal';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';

/** "20 price 2 dec." per prefix, with the verifier digit where the market uses one. */
function ruleText(r: Profile['variableMeasure'][number], m: ReturnType<typeof useMessages>['t']['market']): string {
  const parts = [r.prefix, m.measures[r.measure]];
  if (r.measure !== 'count') parts.push(fill(m.decimals, { n: r.decimals }));
  if (r.check !== 'none') parts.push(fill(m.verifier, { n: r.check === 'four' ? 4 : 5 }));
  return parts.join(' ');
}

export function MarketPanel(props: { profile: Profile }) {
  const { profile } = props;
  const { t, money, locale } = useMessages();
  const m = t.market;
  return (
    <section aria-labelledby="service-market-title" className="service-identity" data-testid="service-market">
      <h3 id="service-market-title">{m.title}</h3>
      <dl className="facts">
        <dt>{m.country}</dt>
        <dd data-testid="market-country">
          {m.countries[profile.country]} ({profile.country})
        </dd>
        <dt>{m.currency}</dt>
        <dd>
          {profile.currency} · {profile.locale} · {profile.timeZone}
        </dd>
        <dt>{m.rounding}</dt>
        <dd data-testid="market-rounding">{profile.cashRoundingUnit <= 1 ? m.roundingNone : fill(m.roundingTo, { unit: money(profile.cashRoundingUnit) })}</dd>
        <dt>{m.receipt}</dt>
        <dd>{m.langs[profile.receiptLang]}</dd>
        <dt>{m.vat}</dt>
        <dd data-testid="market-vat">{profile.vatRates.map((v) => `${v.letter} ${(v.rate / 100).toLocaleString(locale)} %`).join(' · ')}</dd>
        <dt>{m.deposit}</dt>
        <dd>{profile.depositVat === 'item' ? m.depositItem : m.depositOwn}</dd>
        <dt>{m.variable}</dt>
        <dd data-testid="market-variable">{profile.variableMeasure.length ? profile.variableMeasure.map((r) => ruleText(r, m)).join(' · ') : m.variableNone}</dd>
      </dl>
    </section>
  );
}
