/** Typed error codes of the Terminal API; the UI maps each to a sentence in its own language. */
export const ERROR_CODES = [
  'INVALID_MESSAGE',
  'INVALID_COMMAND',
  'MESSAGE_TOO_LARGE',
  'UNAUTHORIZED',
  'INVALID_BARCODE',
  'ITEM_NOT_FOUND',
  'ITEM_BLOCKED',
  'WEIGHT_REQUIRED',
  'LINE_NOT_FOUND',
  'QUANTITY_NOT_ALLOWED',
  'NOT_ALLOWED_NOW',
  'NOT_SIGNED_IN',
  'BAD_CREDENTIALS',
  'OPERATOR_LOCKED_OUT',
  /** The signed-in operator was removed from the store's staff at HQ: signed out (after their sale, if one was open). */
  'SIGNED_OUT_NOT_STAFF',
  'LANE_LOCKED',
  /** A reflashed till has not got its journal back from its peers yet: it sells nothing until it has. */
  'RECOVERING',
  /** A terminal started for first-boot provisioning has no identity yet: it sells nothing until it is provisioned. */
  'NOT_PROVISIONED',
  'APPROVAL_REQUIRED',
  'APPROVAL_DENIED',
  'AGE_CHECK_REQUIRED',
  'TILL_NOT_OPEN',
  'VOUCHER_INVALID',
  'VOUCHER_EMPTY',
  'PAYMENT_DECLINED',
  'PAYMENT_PENDING',
  'PAYMENT_UNAVAILABLE',
  /** The payment terminal refused the till's registration: no card payment until it accepts it (`detail`: the terminal's reason). */
  'TERMINAL_NOT_REGISTERED',
  /** A second, different supervisor must confirm this (a card payment closed as not charged before the terminal answered). */
  'CONFIRMATION_REQUIRED',
  'TILL_ALREADY_OPEN',
  'INVALID_COUNT',
  'RECEIPT_NOT_FOUND',
  /** Sweden: the control unit gave no control code, so no receipt may be made (the sale stays open until it does). */
  'CONTROL_UNIT_UNAVAILABLE',
  'CONTROL_UNIT_NOT_CONFIGURED',
  /** Sweden: a receipt may be copied once (SKVFS 2014:9 6 kap. 3 §); this one has its copy. */
  'COPY_ALREADY_MADE',
  'SLIP_NOT_FOUND',
  'SLIP_ALREADY_RESUMED',
  'RETURN_TOO_MANY',
  'LANE_CLOSED',
  'NO_OPEN_SALE',
  'EMPTY_SALE',
  'INSUFFICIENT_TENDER',
  'STORAGE_FAILED',
  'DRAWER_UNAVAILABLE',
  /** A return of a sale paid with several gift cards: say which card (or a new one) gets the money. */
  'CHOOSE_GIFT_CARD',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
