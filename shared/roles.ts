import { z } from 'zod';
import type { Command, CommandType } from './commands.js';

/**
 * Who may do what (docs/roles.md). Viewers see everything and change nothing;
 * operators run the job; admins additionally manage what the station trusts (keys, tokens,
 * users). Every role that can see the fleet can stop it: stopping is never withheld.
 */
export const roleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** Roles in order of what they may do; a role may do everything a lower one may. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** The person (or program) behind a connection, as the station authenticated it. */
export const sessionSchema = z.object({
  /** A label for the audit log; the role is authenticated, the name is the client's own. */
  name: z.string().min(1).max(40),
  role: roleSchema,
  /** Why the station gave this page less than its link asked for (an unknown or old token). */
  note: z.string().max(200).optional(),
});
export type Session = z.infer<typeof sessionSchema>;

/**
 * The least role each command needs. A table rather than a rule so that adding a command to
 * the contract without deciding who may give it is a compile error.
 */
export const COMMAND_ROLE: Readonly<Record<CommandType, Role>> = {
  fleetStop: 'viewer',
  tractorStop: 'viewer',
  startJob: 'operator',
  pauseJob: 'operator',
  resumeJob: 'operator',
  resumeTractor: 'operator',
  assignSection: 'operator',
  assignSections: 'operator',
  release: 'operator',
  openField: 'operator',
  ackAlert: 'operator',
  ackAlerts: 'operator',
  setMode: 'operator',
  addZone: 'operator',
  removeZone: 'operator',
  editBoundary: 'operator',
  reopenJob: 'operator',
  deleteJob: 'operator',
  undeleteJob: 'operator',
  // Replay controls move a replay's playhead; a live station refuses them and a replay has no
  // job to change, so watching one is a viewer's right.
  replayControl: 'viewer',
};

/**
 * Things only an admin may do that are not station commands: they change what the station
 * trusts rather than the job, so the server handles them (docs/roles.md).
 */
export const ADMIN_ACTIONS = ['rotateToken'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

/** May a session with `role` give `command`? */
export function mayCommand(role: Role, command: Command | CommandType): boolean {
  const type = typeof command === 'string' ? command : command.type;
  return roleAtLeast(role, COMMAND_ROLE[type]);
}

export function mayAdminister(role: Role): boolean {
  return role === 'admin';
}

/** The actor string the station writes into the audit log and the job document. */
export function formatActor(session: Session): string {
  return `${session.name} (${session.role})`;
}

/** Why a command was refused, for the `forbidden` result. */
export function forbiddenMessage(role: Role, type: CommandType | AdminAction): string {
  const least = type in COMMAND_ROLE ? COMMAND_ROLE[type as CommandType] : 'admin';
  return `${type} needs the ${least} role; this session has the ${role} role`;
}
