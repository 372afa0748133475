/**
 * A child process for process-faults.test.ts: with the handlers installed (argv[2] === 'on') it
 * throws from a timer and leaves a promise rejected, then prints 'alive' and ends with code 0;
 * without them the first fault ends it.
 */
import { SystemClock } from '../../time/index.js';
import { keepRunningOnFaults } from '../process-faults.js';

if (process.argv[2] === 'on')
  keepRunningOnFaults(process, {
    clock: new SystemClock(),
    log: (line) => process.stderr.write(`${line}\n`),
    report: (source) => process.stderr.write(`reported ${source}\n`),
  });
setTimeout(() => {
  throw new Error('a timer threw');
}, 10);
void Promise.reject(new Error('nobody caught this'));
setTimeout(() => process.stdout.write('alive\n'), 200);
