export * from './domain.js';
export * from './snapshot.js';
export * from './commands.js';
export * from './events.js';
export * from './api.js';
export * from './bridge-protocol.js';
export * from './validate.js';
export * from './units.js';
