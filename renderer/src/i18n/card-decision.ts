/** A card payment the terminal could not confirm, before a supervisor — on the lane and in the attendant view — in each language (part of the message catalogue as `t.decision`). */

export interface CardDecisionMessages {
  /** What the decision is (the core's own reason is for store IT, in English). */
  title: string;
  /** Its amount, instead of "the customer follows the terminal" (the terminal is not answering). */
  amount: string;
  charged: string;
  notCharged: string;
  /** The payment terminal has not been reachable since {time}. */
  unreachable: string;
  /** "Not charged" needs a second supervisor until the terminal answers. */
  secondSupervisor: string;
  confirmTitle: string;
  confirmBody: string;
  /** The second supervisor's confirmation was refused (a cashier, or the approver again): on the lane it is started again from "not charged". */
  confirmDenied: string;
  /** The attendant view: the receipt is read at the kiosk's terminal (the view carries no card data). */
  attReadTerminal: string;
  /** The attendant view: the second supervisor's confirmation was refused (the attendant themself, or not a supervisor). */
  attConfirmDenied: string;
}

export const DECISION_SV: CardDecisionMessages = {
  title: 'Terminalen kan inte bekräfta betalningen — arbetsledaren jämför med terminalens kvitto och väljer:',
  amount: 'Belopp: {amount}',
  charged: 'Terminalen säger: debiterat',
  notCharged: 'Terminalen säger: inte debiterat',
  unreachable: 'Terminalen har inte gått att nå sedan {time}; kassan frågar den igen och avslutar detta själv när den svarar.',
  secondSupervisor: '”Inte debiterat” kräver en andra arbetsledare tills terminalen har svarat.',
  confirmTitle: 'Andra arbetsledare',
  confirmBody: 'Terminalen har inte svarat: en andra arbetsledare bekräftar att kortet inte debiterades.',
  confirmDenied: 'Den andra arbetsledarens bekräftelse gäller inte: den ska komma från en annan arbetsledare än den som godkänner. Gå tillbaka och välj ”Inte debiterat” igen.',
  attReadTerminal: 'Läs kvittot på den här kassans kortterminal och välj sedan.',
  attConfirmDenied: 'Bekräftelsen gäller inte: den ska komma från en annan arbetsledare än du.',
};

export const DECISION_DE: CardDecisionMessages = {
  title: 'Das Terminal kann die Zahlung nicht bestätigen — die Marktleitung vergleicht mit dem Terminalbeleg und entscheidet:',
  amount: 'Betrag: {amount}',
  charged: 'Terminal meldet: belastet',
  notCharged: 'Terminal meldet: nicht belastet',
  unreachable: 'Das Terminal ist seit {time} nicht erreichbar; die Kasse fragt weiter nach und schließt dies selbst, sobald es antwortet.',
  secondSupervisor: '„Nicht belastet“ braucht eine zweite Marktleitung, bis das Terminal geantwortet hat.',
  confirmTitle: 'Zweite Marktleitung',
  confirmBody: 'Das Terminal hat nicht geantwortet: eine zweite Marktleitung bestätigt, dass die Karte nicht belastet wurde.',
  confirmDenied: 'Die Bestätigung der zweiten Marktleitung gilt nicht: sie muss von einer anderen Marktleitung kommen als die Freigabe. Zurück und „Nicht belastet“ erneut wählen.',
  attReadTerminal: 'Lesen Sie den Beleg am Kartenterminal dieser Kasse und wählen Sie dann.',
  attConfirmDenied: 'Diese Bestätigung gilt nicht: Sie muss von einer anderen Marktleitung kommen als von Ihnen.',
};

export const DECISION_EN: CardDecisionMessages = {
  title: 'The terminal cannot confirm this payment — a supervisor compares with the terminal’s receipt and decides:',
  amount: 'Amount: {amount}',
  charged: 'Terminal says: charged',
  notCharged: 'Terminal says: not charged',
  unreachable: 'The terminal has not been reachable since {time}; the till keeps asking it and closes this by itself when it answers.',
  secondSupervisor: '“Not charged” needs a second supervisor until the terminal has answered.',
  confirmTitle: 'Second supervisor',
  confirmBody: 'The terminal has not answered: a second supervisor confirms that the card was not charged.',
  confirmDenied: 'The second supervisor’s confirmation does not count: it must come from a different supervisor than the one approving. Go back and choose “Not charged” again.',
  attReadTerminal: 'Read the receipt on this checkout’s card terminal, then choose.',
  attConfirmDenied: 'This confirmation does not count: it must come from a supervisor other than you.',
};
