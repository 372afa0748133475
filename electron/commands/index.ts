export { UsageError, type CliCommand, type CliIo } from './command.js';
export { parseHostPort, parseIntegerFlag } from './flags.js';
export { serveCommand } from './serve.js';
export { canCommand } from './can.js';
export { importCommand } from './import.js';
export { exportCommand } from './export.js';
export { simCommand, type SimSummary } from './sim.js';
export { auditCommand } from './audit.js';
export { replayCommand } from './replay.js';
