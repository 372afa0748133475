/**
 * A simulation scenario: timed faults for simulated tractors (radio loss and return), so a demo,
 * a training session or an e2e test can replay the same situation. Read from JSON and validated;
 * a bad file is refused with a message naming the problem.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  commandSchema,
  implementCapacitySchema,
  lonLatSchema,
  type Command,
} from '../../shared/index.js';
import type { Clock } from '../time/index.js';
import type { SimFleet } from './sim-fleet.js';

const commandAtSchema = z.object({
  atS: z.number().nonnegative().max(86_400),
  command: commandSchema,
});

export const scenarioSchema = z.object({
  name: z.string().default('scenario'),
  /** Simulated tractors (headland sim; serve takes --sim). */
  tractors: z.number().int().min(1).max(64).default(6),
  /** Field file, relative to the scenario file; the demo field when omitted. */
  field: z.string().optional(),
  /** Simulated seconds to run; the run also ends when the job is finished. */
  durationS: z
    .number()
    .positive()
    .max(7 * 86_400)
    .default(4 * 3600),
  /**
   * The job's refill point and the machines' tank or hopper: a seed hopper (sim-plan.ts
   * SIM_HOPPER) and a point just inside the middle of the field's first edge unless given.
   */
  refill: z
    .object({
      point: lonLatSchema.optional(),
      capacity: implementCapacitySchema.optional(),
    })
    .optional(),
  /** Operator commands at given times (stop, release, reassign, ...). */
  commands: z.array(commandAtSchema).max(10_000).default([]),
  faults: z
    .array(
      z.object({
        /** Seconds after the scenario starts. */
        atS: z.number().nonnegative().max(86_400),
        tractor: z.string().min(1),
        /**
         * radio-off/on: the machine's radio; fail: a machine fault (it stops itself and raises
         * an alert); refuse-mode/accept-mode: it refuses autonomy-mode changes, or accepts again.
         */
        kind: z.enum(['radio-off', 'radio-on', 'fail', 'refuse-mode', 'accept-mode']),
        /** What the fault is, shown in the alert (fail, refuse-mode). */
        reason: z.string().max(200).optional(),
      }),
    )
    .max(10_000)
    .default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export function parseScenario(json: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(
      `invalid scenario: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unreadable'}`,
    );
  }
  return parsed.data;
}

/**
 * Schedules the scenario's faults (and commands, through `command`) on the clock; returns a
 * function that cancels what is left.
 */
export function runScenario(
  scenario: Scenario,
  fleet: SimFleet,
  clock: Clock,
  command: (command: Command) => void = () => undefined,
): () => void {
  const known = new Set(fleet.tractors.map((t) => t.id));
  const unknown = scenario.faults.filter((f) => !known.has(f.tractor)).map((f) => f.tractor);
  if (unknown.length > 0)
    throw new ScenarioError(`scenario names unknown tractors: ${[...new Set(unknown)].join(', ')}`);
  const cancels = scenario.faults.map((fault) =>
    clock.setTimer(fault.atS * 1000, () => injectFault(fleet, fault)),
  );
  for (const entry of scenario.commands)
    cancels.push(clock.setTimer(entry.atS * 1000, () => command(entry.command)));
  return () => cancels.forEach((cancel) => cancel());
}

function injectFault(fleet: SimFleet, fault: Scenario['faults'][number]): void {
  const tractor = fleet.tractor(fault.tractor);
  switch (fault.kind) {
    case 'radio-off':
    case 'radio-on':
      fleet.setRadio(fault.tractor, fault.kind === 'radio-on');
      return;
    case 'fail':
      tractor?.fail(fault.reason ?? 'simulated fault');
      return;
    case 'refuse-mode':
      tractor?.refuseModeChanges(fault.reason ?? 'simulated refusal');
      return;
    case 'accept-mode':
      tractor?.refuseModeChanges(null);
      return;
  }
}

/** Reads and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`${path}: ${err instanceof Error ? err.message : 'unreadable'}`);
  }
  return parseScenario(json);
}
