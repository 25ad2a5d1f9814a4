/** A store's id at HQ: 1 to 32 letters, digits, - or _ (enrollment tokens, staff, the store's particulars). */
export const isStoreId = (s: string): boolean => /^[\w-]{1,32}$/.test(s);
