/** Cash in or out of the drawer without a sale (the lane menu's window), in each language (part of the message catalogue as `t.movement`). */

type MovementKind = 'paidIn' | 'paidOut' | 'pickup' | 'privateWithdrawal' | 'privateDeposit';

export interface MovementMessages {
  /** The menu item and the window's title. */
  title: string;
  /** Each kind as the cashier picks it. */
  kinds: Record<MovementKind, string>;
  amount: string;
  reason: string;
  /** The button that records it. */
  book: string;
  /** A supervisor approves money leaving the drawer. */
  needsApproval: string;
  /** Recorded, no slip printed (a till that signs nothing): {amount}. */
  done: string;
  /** An amount that is no amount. */
  badAmount: string;
}

export const MOVEMENT_SV: MovementMessages = {
  title: 'Kontanter in/ut',
  kinds: { paidIn: 'Insättning', paidOut: 'Utbetalning', pickup: 'Avlyft till kassaskåp/bank', privateWithdrawal: 'Privat uttag (ägare)', privateDeposit: 'Privat insättning (ägare)' },
  amount: 'Belopp',
  reason: 'Orsak',
  book: 'Bokför',
  needsApproval: 'Pengar ut ur lådan godkänns av en arbetsledare.',
  done: '{amount} bokfört.',
  badAmount: 'Skriv ett belopp, t.ex. 50 eller 12,50.',
};

export const MOVEMENT_DE: MovementMessages = {
  title: 'Bargeld ein/aus',
  kinds: { paidIn: 'Einzahlung', paidOut: 'Auszahlung', pickup: 'Geldtransit (Tresor/Bank)', privateWithdrawal: 'Privatentnahme', privateDeposit: 'Privateinlage' },
  amount: 'Betrag',
  reason: 'Grund',
  book: 'Buchen',
  needsApproval: 'Geld aus der Kasse gibt ein Vorgesetzter frei.',
  done: '{amount} gebucht.',
  badAmount: 'Betrag eingeben, z. B. 50 oder 12,50.',
};

export const MOVEMENT_EN: MovementMessages = {
  title: 'Cash in/out',
  kinds: { paidIn: 'Paid in', paidOut: 'Paid out', pickup: 'Pickup to safe/bank', privateWithdrawal: "Owner's withdrawal", privateDeposit: "Owner's deposit" },
  amount: 'Amount',
  reason: 'Reason',
  book: 'Record',
  needsApproval: 'Money leaving the drawer is approved by a supervisor.',
  done: '{amount} recorded.',
  badAmount: 'Type an amount, e.g. 50 or 12.50.',
};
