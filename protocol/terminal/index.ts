/**
 * Terminal API: the only contract between the core process and any UI (Electron window, browser,
 * customer display, attendant view), by concern: commands, their results, the snapshot, errors,
 * the core's messages, and the core↔Electron process messages. Every inbound message is validated
 * with these schemas; anything that does not parse is answered with a typed error and changes nothing.
 */
export * from './commands';
export * from './errors';
export * from './messages';
export * from './payment-prompt';
export * from './process';
export * from './profile';
export * from './results';
export * from './snapshot';
