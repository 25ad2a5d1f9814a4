/** The kiosk's cash step and the attendant's cash confirmation, in each language (part of the message catalogue as `t.cash`). */

export interface CashMessages {
  /** The kiosk, with its cash device. */
  insertTitle: string;
  insertHint: string;
  stillToPay: string;
  inserted: string;
  due: string;
  cancel: string;
  returning: string;
  payingChange: string;
  takeChange: string;
  changeLabel: string;
  paidEnough: string;
  /** Without a device (or when it refused): an attendant takes the cash. */
  attendantTitle: string;
  attendantBody: string;
  /** What went wrong, told to the customer. */
  problems: Record<'jam' | 'full' | 'offline' | 'shortChange' | 'returnFailed' | 'lost' | 'unknownPayout', string>;
  counted: string;
  owed: string;
  staffComing: string;
  continueTitle: string;
  /** The attendant view. */
  attWaiting: string;
  attReceived: string;
  attConfirm: string;
  attChange: string;
  attDevice: string;
  /** Why the kiosk calls the attendant (the help call's detail). */
  attCall: Record<'takeCash' | 'owed', string>;
}

export const CASH_SV: CashMessages = {
  insertTitle: 'Betala med kontanter',
  insertHint: 'Mata in sedlar och mynt i kontantautomaten.',
  stillToPay: 'Kvar att betala',
  inserted: 'Inbetalt',
  due: 'Att betala',
  cancel: 'Avbryt kontantbetalningen',
  returning: 'Dina pengar lämnas tillbaka …',
  payingChange: 'Växeln betalas ut …',
  takeChange: 'Ta din växel',
  changeLabel: 'Växel',
  paidEnough: 'Betalt! Tack.',
  attendantTitle: 'En medarbetare kommer och tar emot dina kontanter',
  attendantBody: 'Vänta här – inget är betalt förrän medarbetaren har tagit emot pengarna.',
  problems: {
    jam: 'Kontantautomaten har fastnat.',
    full: 'Kontantautomatens kassa är full.',
    offline: 'Kontantautomaten svarar inte.',
    shortChange: 'Automaten kunde inte betala ut hela växeln.',
    returnFailed: 'Automaten kunde inte lämna tillbaka allt.',
    lost: 'Kontantautomaten tappade räkningen.',
    unknownPayout: 'Det är oklart hur mycket automaten betalade ut.',
  },
  counted: '{amount} har räknats och är betalt.',
  owed: 'Du ska få {amount} till – av personalen.',
  staffComing: 'En medarbetare är på väg.',
  continueTitle: 'Betala resten',
  attWaiting: 'Kunden vill betala {amount} kontant',
  attReceived: 'Mottaget belopp',
  attConfirm: 'Bekräfta mottaget',
  attChange: 'Ge tillbaka {amount}',
  attDevice: 'Kontantautomat: {inserted} av {due} inbetalt',
  attCall: { takeCash: 'ta emot kontanter', owed: 'kunden ska ha pengar tillbaka' },
};

export const CASH_DE: CashMessages = {
  insertTitle: 'Bar bezahlen',
  insertHint: 'Geben Sie Scheine und Münzen in den Bargeldautomaten.',
  stillToPay: 'Noch zu zahlen',
  inserted: 'Eingezahlt',
  due: 'Zu zahlen',
  cancel: 'Barzahlung abbrechen',
  returning: 'Ihr Geld wird zurückgegeben …',
  payingChange: 'Das Wechselgeld wird ausgezahlt …',
  takeChange: 'Bitte nehmen Sie Ihr Wechselgeld',
  changeLabel: 'Wechselgeld',
  paidEnough: 'Bezahlt! Danke.',
  attendantTitle: 'Eine Mitarbeiterin oder ein Mitarbeiter nimmt Ihr Bargeld entgegen',
  attendantBody: 'Bitte warten Sie hier – bezahlt ist erst, wenn das Geld entgegengenommen wurde.',
  problems: {
    jam: 'Im Bargeldautomaten klemmt etwas.',
    full: 'Die Kasse des Bargeldautomaten ist voll.',
    offline: 'Der Bargeldautomat antwortet nicht.',
    shortChange: 'Der Automat konnte nicht das ganze Wechselgeld auszahlen.',
    returnFailed: 'Der Automat konnte nicht alles zurückgeben.',
    lost: 'Der Bargeldautomat hat sich verzählt.',
    unknownPayout: 'Unklar ist, wie viel der Automat ausgezahlt hat.',
  },
  counted: '{amount} wurden gezählt und sind bezahlt.',
  owed: 'Sie bekommen noch {amount} – vom Personal.',
  staffComing: 'Eine Mitarbeiterin oder ein Mitarbeiter kommt.',
  continueTitle: 'Den Rest bezahlen',
  attWaiting: 'Kunde möchte {amount} bar bezahlen',
  attReceived: 'Erhaltener Betrag',
  attConfirm: 'Erhalt bestätigen',
  attChange: '{amount} zurückgeben',
  attDevice: 'Bargeldautomat: {inserted} von {due} eingezahlt',
  attCall: { takeCash: 'Bargeld entgegennehmen', owed: 'Kunde bekommt noch Geld zurück' },
};

export const CASH_EN: CashMessages = {
  insertTitle: 'Pay with cash',
  insertHint: 'Put notes and coins into the cash machine.',
  stillToPay: 'Still to pay',
  inserted: 'Put in',
  due: 'To pay',
  cancel: 'Stop paying cash',
  returning: 'Your money is being handed back …',
  payingChange: 'Your change is being paid out …',
  takeChange: 'Please take your change',
  changeLabel: 'Change',
  paidEnough: 'Paid! Thank you.',
  attendantTitle: 'A member of staff is coming to take your cash',
  attendantBody: 'Please wait here – nothing is paid until they have taken the money.',
  problems: {
    jam: 'The cash machine is jammed.',
    full: 'The cash machine’s cashbox is full.',
    offline: 'The cash machine is not answering.',
    shortChange: 'The machine could not pay out all of your change.',
    returnFailed: 'The machine could not hand everything back.',
    lost: 'The cash machine lost count.',
    unknownPayout: 'It is not clear how much the machine paid out.',
  },
  counted: '{amount} was counted and is paid.',
  owed: 'You are owed {amount} more – staff will hand it to you.',
  staffComing: 'A member of staff is on the way.',
  continueTitle: 'Pay the rest',
  attWaiting: 'Customer wants to pay {amount} in cash',
  attReceived: 'Amount received',
  attConfirm: 'Confirm received',
  attChange: 'Give back {amount}',
  attDevice: 'Cash machine: {inserted} of {due} put in',
  attCall: { takeCash: 'take the cash', owed: 'the customer is owed money' },
};
