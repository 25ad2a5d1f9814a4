/**
 * The till's side of its control unit (Sweden). Every receipt — sale, copy, training, return — is
 * registered with the unit before it is made, and the receipt prints the control code it answered.
 * A unit that does not answer refuses the receipt: the till may not make a receipt without a
 * control code (SKVFS 2014:9), and it may not register a sale without making its receipt (6 kap.
 * 2 §), so the command fails with CONTROL_UNIT_UNAVAILABLE and nothing is written; the sale stays
 * paid and open and completes once the unit answers again. The store documents the failure and
 * reports it to Skatteverket (4 kap. 1 § SKVFS 2014:10): the lane shows since when the unit is out.
 */
import type { Db } from '../../db';
import { CoreError } from '../../errors';
import type { VatRow } from '../../../protocol/terminal';
import { ControlUnitError, type ControlUnitPort, type SeReceiptType } from './port';

/** The store and till as registered with Skatteverket; printed on every receipt and report. */
export interface SeRegister {
  orgNumber: string;
  companyName: string;
  /** The address where the sale takes place. */
  address: string;
  /** Kassabeteckning. */
  tillId: string;
}

/** What a Swedish receipt carries of its registration (kept with the sale in its journal entry). */
export interface SeMark {
  orgNumber: string;
  companyName: string;
  address: string;
  tillId: string;
  receiptNumber: number;
  type: SeReceiptType;
  controlCode: string;
  manufacturingNumber: string;
}

export class TillControlUnit {
  /** When the unit first failed to answer, while it still does not; null when it answers. */
  outageSince: string | null = null;

  private readonly s: { get: { get(): { value: string } | undefined }; set: { run(v: string): unknown } };

  constructor(
    db: Db,
    private readonly port: ControlUnitPort,
    readonly register: SeRegister,
  ) {
    this.s = {
      get: db.prepare<[], { value: string }>("SELECT value FROM terminal_meta WHERE key = 'se.training_receipt_number'"),
      set: db.prepare<[string]>("INSERT INTO terminal_meta (key, value) VALUES ('se.training_receipt_number', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    };
  }

  /**
   * The next training receipt's number: training receipts have their own gap-free series (they
   * never take a number of the sales' series). Call inside the transaction that makes the receipt.
   */
  nextTrainingNumber(): number {
    const next = Number(this.s.get.get()?.value ?? '0') + 1;
    this.s.set.run(String(next));
    return next;
  }

  /** Registers one receipt and answers its mark; throws CONTROL_UNIT_UNAVAILABLE (nothing made) when the unit fails. */
  stamp(type: SeReceiptType, receiptNumber: number, at: string, total: number, vat: readonly VatRow[]): SeMark {
    const r = this.register;
    try {
      const a = this.port.register({ orgNumber: r.orgNumber, tillId: r.tillId, at, receiptNumber, type, total, vat: vat.map((v) => ({ rate: v.rate, vat: v.vat })) });
      this.outageSince = null;
      return { ...r, receiptNumber, type, controlCode: a.controlCode, manufacturingNumber: a.manufacturingNumber };
    } catch (err) {
      if (!(err instanceof ControlUnitError)) throw err;
      if (err.code === 'CU_UNAVAILABLE') this.outageSince ??= at;
      throw new CoreError('CONTROL_UNIT_UNAVAILABLE', `The control unit did not give a control code (${err.code}: ${err.message}); no receipt can be made until it does.`, { since: this.outageSince ?? at });
    }
  }
}
