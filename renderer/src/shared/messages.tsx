/**
 * The screen's language for every component below it, instead of a `t` prop handed through each:
 * the messages, the language, the store's locale and its money (format.ts's one formatter).
 * A screen in another language (a kiosk's staff screens) sits in a provider of its own.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { formatMoney } from '../../../common/money';
import { CATALOGUE, LOCALE_OF, type Lang, type Messages } from '../i18n';

export interface MessagesValue {
  t: Messages;
  lang: Lang;
  /** The store's locale for numbers, weights and times (the language's own while no store is known). */
  locale: string;
  /** Minor units → the store's currency in its locale. */
  money: (minor: number) => string;
}

const MessagesContext = createContext<MessagesValue | null>(null);

/** `profile`: the store's locale and currency (a snapshot's profile, or a kiosk's); null before one is known. */
export function MessagesProvider(props: { lang: Lang; profile: { locale: string; currency: string } | null | undefined; children: ReactNode }) {
  const { lang } = props;
  const locale = props.profile?.locale;
  const currency = props.profile?.currency;
  // One value per language and store: a memoised row (lane/LineRow.tsx) is drawn again only when these change.
  const value = useMemo<MessagesValue>(
    () => ({
      t: CATALOGUE[lang],
      lang,
      locale: locale ?? LOCALE_OF[lang],
      money: locale !== undefined && currency !== undefined ? (minor) => formatMoney(minor, locale, { currency }) : (minor) => String(minor),
    }),
    [lang, locale, currency],
  );
  return <MessagesContext.Provider value={value}>{props.children}</MessagesContext.Provider>;
}

export function useMessages(): MessagesValue {
  const value = useContext(MessagesContext);
  if (!value) throw new Error('useMessages() outside a MessagesProvider');
  return value;
}
