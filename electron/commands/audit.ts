/**
 * `headland audit verify|export --data DIR`: checks the safety audit log's hash chain, or writes
 * its entries out (JSON lines, verified first) for an investigation. Never changes the log.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readAuditAnchors } from '../records/index.js';
import { AUDIT_LOG_FILE, anchorProblem, readAuditLog } from '../safety/index.js';
import { writeFileAtomically } from '../storage/index.js';
import { UsageError, type CliCommand } from './command.js';
import { parseFlags } from './flags.js';

const USAGE = `Usage: headland audit verify --data DIR [--json]
       headland audit export --data DIR --out FILE

Checks the hash chain of the safety audit log (<data>/${AUDIT_LOG_FILE}) that \`headland serve\`
writes: every stop, confirmation, release, refusal, comm loss, zone event, mode change, alert
and acknowledgement. verify exits 1 when the chain is broken, naming the first bad line, or
when the log does not extend its anchor (entry count and last hash, kept in job.json and in the
job documents of sync.db): a log cut short or rewritten from scratch.
export writes the verified entries as JSON lines (it refuses a broken log).

Options:
  --data DIR   the station's data folder
  --out FILE   where export writes
  --json       print the verification result as JSON
  -h, --help   show this help`;

const FLAGS = {
  data: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify or export the tamper-evident safety audit log',
  usage: USAGE,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action !== 'verify' && action !== 'export')
      throw new UsageError('say what to do: audit verify or audit export');
    const values = parseFlags(rest, FLAGS);
    if (!values.data) throw new UsageError('--data DIR is required');
    const dataDir = resolve(values.data);
    const file = join(dataDir, AUDIT_LOG_FILE);
    if (!existsSync(file)) {
      io.stderr(`audit: no audit log at ${file}`);
      return 1;
    }
    const check = readAuditLog(file);
    const broken = check.broken
      ? `chain broken at line ${check.broken.line}: ${check.broken.reason}`
      : null;
    if (action === 'verify') {
      // The chain verifies against itself; a log cut short or rewritten is found only against
      // the anchors kept apart from it (job record, job documents).
      const kept = await readAuditAnchors(dataDir);
      const anchorProblems = kept.anchors.flatMap(({ source, anchor }) => {
        const problem = anchorProblem(check.entries, anchor);
        return problem ? [`does not match its anchor in the ${source}: ${problem}`] : [];
      });
      const problem = broken ?? anchorProblems[0] ?? null;
      const summary = {
        file,
        entries: check.entries.length,
        intact: problem === null,
        problem: problem ?? (check.tornTail ? 'last line torn (crash while writing)' : null),
        lastHash: check.entries.at(-1)?.hash ?? null,
        anchors: kept.anchors.length,
        anchorProblems,
        unreadable: kept.unreadable,
      };
      if (values.json) io.stdout(JSON.stringify(summary));
      else if (broken)
        io.stdout(
          `audit: ${file}: ${broken} (${check.entries.length} entries before it are intact)`,
        );
      else if (anchorProblems.length > 0) io.stdout(`audit: ${file}: ${anchorProblems.join('; ')}`);
      else
        io.stdout(
          `audit: ${file}: ${check.entries.length} entries, chain intact, last hash ${summary.lastHash ?? '-'} (${kept.anchors.length} anchor(s) agree)`,
        );
      for (const place of kept.unreadable) io.stderr(`audit: anchor not read: ${place}`);
      return problem ? 1 : 0;
    }
    if (!values.out) throw new UsageError('--out FILE is required for export');
    if (broken) {
      io.stderr(`audit: refusing to export: ${broken}`);
      return 1;
    }
    writeFileAtomically(
      resolve(values.out),
      check.entries.map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
    io.stdout(`audit: ${check.entries.length} entries written to ${resolve(values.out)}`);
    return 0;
  },
};
