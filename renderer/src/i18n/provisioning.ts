/** The first-boot provisioning screen (store IT setting up a till), in each language (part of the message catalogue as `t.provisioning`). */
import type { ProvisioningFailure } from '../../../protocol/terminal';

export interface ProvisioningMessages {
  title: string;
  insertStick: string;
  /** {dirs}: the folders the till looks in. */
  lookingIn: string;
  /** No folder to look in was given: only the code. */
  lookingNowhere: string;
  or: string;
  scanLabel: string;
  scanHint: string;
  submit: string;
  working: string;
  steps: {
    reading: string;
    enrolling: string;
    /** {store}, {lane}. */
    enrolled: string;
    /** {id}: the terminal id HQ gave. */
    terminal: string;
    recovering: string;
    /** {sales}, {lane}: the peer's lane. */
    recovered: string;
    /** The store has no other till (or store IT asked): from HQ. */
    recoveringHq: string;
    /** {sales}. */
    recoveredHq: string;
    /** No till and not HQ held a sale of it: it had not sold. */
    recoveredNone: string;
    catalogWaiting: string;
    /** {done} of {total} items. */
    catalog: string;
    /** {n} devices. */
    devices: string;
    devicesNone: string;
    /** {n} operators from HQ. */
    staff: string;
    /** HQ sent no staff: nobody can sign in yet. */
    staffNone: string;
    ready: string;
  };
  fromUsb: string;
  fromTyped: string;
  ready: string;
  readyNext: string;
  toSignIn: string;
  failedTitle: string;
  tryAgain: string;
  detail: string;
  /** Each failure: what happened, and what to do. */
  failures: Record<ProvisioningFailure, { what: string; todo: string }>;
}

export const PROVISIONING_SV: ProvisioningMessages = {
  title: 'Driftsätt kassan',
  insertStick: 'Sätt i USB-minnet med provisioning.json',
  lookingIn: 'Kassan hittar filen själv. Den letar i {dirs}.',
  lookingNowhere: 'Ingen USB-mapp är angiven: skriv eller skanna koden.',
  or: 'eller',
  scanLabel: 'Skriv eller skanna driftsättningskoden',
  scanHint: 'Koden börjar med KASSA-PROVISION: — HK skriver ut den tillsammans med token.',
  submit: 'Driftsätt',
  working: 'Kassan driftsätts …',
  steps: {
    reading: 'Läser filen eller koden',
    enrolling: 'Registrerar kassan hos HK',
    enrolled: 'Registrerad hos HK: butik {store}, kassa {lane}',
    terminal: 'Terminal {id}',
    recovering: 'Hämtar tillbaka kassans köp från de andra kassorna …',
    recovered: '{sales} köp tillbaka från kassa {lane}',
    recoveringHq: 'Hämtar tillbaka kassans köp från HK …',
    recoveredHq: '{sales} köp tillbaka från HK',
    recoveredNone: 'Inga köp att hämta: kassan hade inte sålt något',
    catalogWaiting: 'Sortiment',
    catalog: 'Sortiment: {done} av {total} artiklar',
    devices: 'Enheter hittade: {n}',
    devicesNone: 'Inga enheter hittade ännu — kassan hittar dem när de ansluts',
    staff: 'Personal från HK: {n} kan logga in',
    staffNone: 'Ingen personal från HK ännu: ingen kan logga in förrän den läggs till på HK (npm run hq:staff)',
    ready: 'Klar att sälja',
  },
  fromUsb: 'Från USB-minnet',
  fromTyped: 'Från koden',
  ready: 'Klar att sälja',
  readyNext: 'Inloggningen visas om ett ögonblick.',
  toSignIn: 'Till inloggningen',
  failedTitle: 'Kassan är inte driftsatt',
  tryAgain: 'Försök igen',
  detail: 'Detaljer för butikens IT',
  failures: {
    unreadable: { what: 'Filen eller koden går inte att läsa.', todo: 'Kontrollera filen på USB-minnet (eller skriv koden igen) och försök igen.' },
    tokenUsed: { what: 'Den här token har redan använts.', todo: 'Be HK om en ny token och lägg den på USB-minnet.' },
    tokenExpired: { what: 'Den här token har gått ut.', todo: 'Be HK om en ny token och lägg den på USB-minnet.' },
    tokenUnknown: { what: 'HK känner inte igen den här token.', todo: 'Kontrollera att den kommer från rätt HK, eller be om en ny.' },
    hqUnreachable: { what: 'HK går inte att nå.', todo: 'Kontrollera nätverkskabeln och HK:s adress och försök igen.' },
    hqRefused: { what: 'HK vägrade driftsätta kassan.', todo: 'Läs detaljerna nedan och kontakta HK.' },
    catalogKey: { what: 'Sortimentet är inte signerat med nyckeln på USB-minnet.', todo: 'Lägg HK:s sortimentsnyckel på USB-minnet och försök igen.' },
    wrongLane: { what: 'USB-minnet är till en annan kassa.', todo: 'Använd USB-minnet för den här kassan, eller be HK om en token för den.' },
    wrongStore: { what: 'USB-minnet är till en annan butik.', todo: 'Använd USB-minnet för den här butiken, eller be HK om en token för den.' },
    noCatalog: { what: 'HK har inget sortiment för kassan ännu.', todo: 'Publicera sortimentet hos HK och försök sedan igen.' },
    catalogFailed: { what: 'Sortimentet kunde inte installeras.', todo: 'Försök igen; läs detaljerna nedan om det misslyckas igen.' },
    recoveryFailed: { what: 'Kassans köp kunde inte hämtas från de andra kassorna.', todo: 'Se till att butikens andra kassor är på och anslutna till nätverket, och försök igen.' },
  },
};

export const PROVISIONING_DE: ProvisioningMessages = {
  title: 'Kasse einrichten',
  insertStick: 'USB-Stick mit provisioning.json einstecken',
  lookingIn: 'Die Kasse findet die Datei von selbst. Sie sucht in {dirs}.',
  lookingNowhere: 'Kein USB-Ordner angegeben: Code eingeben oder scannen.',
  or: 'oder',
  scanLabel: 'Einrichtungscode eingeben oder scannen',
  scanHint: 'Der Code beginnt mit KASSA-PROVISION: — die Zentrale druckt ihn mit dem Token aus.',
  submit: 'Einrichten',
  working: 'Die Kasse wird eingerichtet …',
  steps: {
    reading: 'Datei oder Code wird gelesen',
    enrolling: 'Kasse wird bei der Zentrale angemeldet',
    enrolled: 'Bei der Zentrale angemeldet: Filiale {store}, Kasse {lane}',
    terminal: 'Terminal {id}',
    recovering: 'Die Verkäufe dieser Kasse werden von den anderen Kassen zurückgeholt …',
    recovered: '{sales} Verkäufe von Kasse {lane} zurückgeholt',
    recoveringHq: 'Die Verkäufe dieser Kasse werden von der Zentrale zurückgeholt …',
    recoveredHq: '{sales} Verkäufe von der Zentrale zurückgeholt',
    recoveredNone: 'Nichts zurückzuholen: Die Kasse hatte noch nichts verkauft',
    catalogWaiting: 'Sortiment',
    catalog: 'Sortiment: {done} von {total} Artikeln',
    devices: 'Gefundene Geräte: {n}',
    devicesNone: 'Noch keine Geräte gefunden — die Kasse findet sie, sobald sie angeschlossen sind',
    staff: 'Personal aus der Zentrale: {n} können sich anmelden',
    staffNone: 'Noch kein Personal aus der Zentrale: niemand kann sich anmelden, bis es dort angelegt ist (npm run hq:staff)',
    ready: 'Verkaufsbereit',
  },
  fromUsb: 'Vom USB-Stick',
  fromTyped: 'Vom eingegebenen Code',
  ready: 'Verkaufsbereit',
  readyNext: 'Die Anmeldung erscheint gleich.',
  toSignIn: 'Zur Anmeldung',
  failedTitle: 'Die Kasse ist nicht eingerichtet',
  tryAgain: 'Erneut versuchen',
  detail: 'Details für die Filial-IT',
  failures: {
    unreadable: { what: 'Die Datei oder der Code ist nicht lesbar.', todo: 'Datei auf dem USB-Stick prüfen (oder den Code neu eingeben) und erneut versuchen.' },
    tokenUsed: { what: 'Dieses Token wurde bereits verwendet.', todo: 'Bei der Zentrale ein neues Token anfordern und auf den USB-Stick legen.' },
    tokenExpired: { what: 'Dieses Token ist abgelaufen.', todo: 'Bei der Zentrale ein neues Token anfordern und auf den USB-Stick legen.' },
    tokenUnknown: { what: 'Die Zentrale kennt dieses Token nicht.', todo: 'Prüfen, ob es von dieser Zentrale stammt, oder ein neues anfordern.' },
    hqUnreachable: { what: 'Die Zentrale ist nicht erreichbar.', todo: 'Netzwerkkabel und Adresse der Zentrale prüfen und erneut versuchen.' },
    hqRefused: { what: 'Die Zentrale hat die Einrichtung abgelehnt.', todo: 'Die Details unten lesen und die Zentrale fragen.' },
    catalogKey: { what: 'Das Sortiment ist nicht mit dem Schlüssel auf dem USB-Stick signiert.', todo: 'Den Sortimentsschlüssel der Zentrale auf den USB-Stick legen und erneut versuchen.' },
    wrongLane: { what: 'Dieser USB-Stick ist für eine andere Kasse.', todo: 'Den USB-Stick für diese Kasse verwenden oder bei der Zentrale ein Token für sie anfordern.' },
    wrongStore: { what: 'Dieser USB-Stick ist für eine andere Filiale.', todo: 'Den USB-Stick für diese Filiale verwenden oder bei der Zentrale ein Token für sie anfordern.' },
    noCatalog: { what: 'Die Zentrale hat noch kein Sortiment für diese Kasse.', todo: 'Das Sortiment in der Zentrale veröffentlichen und erneut versuchen.' },
    catalogFailed: { what: 'Das Sortiment konnte nicht installiert werden.', todo: 'Erneut versuchen; schlägt es wieder fehl, die Details unten lesen.' },
    recoveryFailed: { what: 'Die Verkäufe dieser Kasse konnten nicht von den anderen Kassen geholt werden.', todo: 'Prüfen, ob die anderen Kassen der Filiale eingeschaltet und im Netzwerk sind, dann erneut versuchen.' },
  },
};

export const PROVISIONING_EN: ProvisioningMessages = {
  title: 'Set up this till',
  insertStick: 'Insert the USB stick with provisioning.json',
  lookingIn: 'The till finds the file by itself. It looks in {dirs}.',
  lookingNowhere: 'No USB folder was given: type or scan the code.',
  or: 'or',
  scanLabel: 'Type or scan the provisioning code',
  scanHint: 'The code starts with KASSA-PROVISION: — HQ prints it together with the token.',
  submit: 'Set up',
  working: 'Setting up the till …',
  steps: {
    reading: 'Reading the file or code',
    enrolling: 'Enrolling the till at HQ',
    enrolled: 'Enrolled at HQ: store {store}, lane {lane}',
    terminal: 'Terminal {id}',
    recovering: 'Getting this lane’s sales back from the other tills …',
    recovered: '{sales} sales back from lane {lane}',
    recoveringHq: 'Getting this lane’s sales back from HQ …',
    recoveredHq: '{sales} sales back from HQ',
    recoveredNone: 'Nothing to get back: this lane had not sold yet',
    catalogWaiting: 'Catalog',
    catalog: 'Catalog: {done} of {total} items',
    devices: 'Devices found: {n}',
    devicesNone: 'No devices found yet — the till finds them when they are connected',
    staff: 'Staff from HQ: {n} can sign in',
    staffNone: 'No staff from HQ yet: nobody can sign in until they are added at HQ (npm run hq:staff)',
    ready: 'Ready to sell',
  },
  fromUsb: 'From the USB stick',
  fromTyped: 'From the code',
  ready: 'Ready to sell',
  readyNext: 'The sign-in comes up in a moment.',
  toSignIn: 'Go to sign-in',
  failedTitle: 'The till is not set up',
  tryAgain: 'Try again',
  detail: 'Details for store IT',
  failures: {
    unreadable: { what: 'The provisioning file or code cannot be read.', todo: 'Check the file on the USB stick (or type the code again) and try again.' },
    tokenUsed: { what: 'This token has already been used.', todo: 'Ask HQ for a new token and put it on the USB stick.' },
    tokenExpired: { what: 'This token has expired.', todo: 'Ask HQ for a new token and put it on the USB stick.' },
    tokenUnknown: { what: 'HQ does not know this token.', todo: 'Check it comes from this HQ, or ask for a new one.' },
    hqUnreachable: { what: 'HQ cannot be reached.', todo: 'Check the network cable and HQ’s address, then try again.' },
    hqRefused: { what: 'HQ refused to set up this till.', todo: 'Read the details below and ask HQ.' },
    catalogKey: { what: 'The catalog is not signed with the key on the USB stick.', todo: 'Put HQ’s catalog key on the USB stick and try again.' },
    wrongLane: { what: 'This USB stick is for another lane.', todo: 'Use the stick made for this lane, or ask HQ for a token for it.' },
    wrongStore: { what: 'This USB stick is for another store.', todo: 'Use the stick made for this store, or ask HQ for a token for it.' },
    noCatalog: { what: 'HQ has no catalog for this till yet.', todo: 'Publish the catalog at HQ, then try again.' },
    catalogFailed: { what: 'The catalog could not be installed.', todo: 'Try again; if it fails again, read the details below.' },
    recoveryFailed: { what: 'This lane’s sales could not be got back from the other tills.', todo: 'Make sure the store’s other tills are switched on and on the network, then try again.' },
  },
};
