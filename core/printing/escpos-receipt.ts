/** Receipt encoding lives with the printer's protocol (drivers/escpos/receipt.ts); this path stays for the lane service's import. */
export { encodeReceipt } from '../../drivers/escpos/receipt';
