import { describe, expect, it } from 'vitest';
import { commandSchema, type CommandType } from './commands.js';
import {
  COMMAND_ROLE,
  ROLES,
  forbiddenMessage,
  formatActor,
  mayAdminister,
  mayCommand,
  type Role,
} from './roles.js';

/** Every command type of the contract, read from the schema itself. */
const COMMAND_TYPES = commandSchema.options.map<CommandType>((o) => o.shape.type.value);

const STOPS: CommandType[] = ['fleetStop', 'tractorStop'];
/** Commands that change nothing in a live job. */
const VIEWER_EXTRAS: CommandType[] = ['replayControl'];

describe('the authorization table', () => {
  it('decides every command of the contract', () => {
    expect(Object.keys(COMMAND_ROLE).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it.each(COMMAND_TYPES.flatMap((type) => ROLES.map((role) => [type, role] as const)))(
    '%s by a %s',
    (type: CommandType, role: Role) => {
      const expected =
        role === 'viewer' ? STOPS.includes(type) || VIEWER_EXTRAS.includes(type) : true;
      expect(mayCommand(role, type)).toBe(expected);
    },
  );

  it('never withholds a stop, from any role', () => {
    for (const role of ROLES) {
      expect(mayCommand(role, { type: 'fleetStop' })).toBe(true);
      expect(mayCommand(role, { type: 'tractorStop', tractorId: 't1' })).toBe(true);
    }
  });

  it('keeps a viewer from releasing, reassigning, changing modes, zones or the boundary', () => {
    const changes: CommandType[] = [
      'release',
      'assignSection',
      'assignSections',
      'setMode',
      'addZone',
      'removeZone',
      'editBoundary',
      'startJob',
      'resumeJob',
      'openField',
    ];
    for (const type of changes) expect(mayCommand('viewer', type)).toBe(false);
  });

  it('lets only an admin administer (rotate tokens)', () => {
    expect(ROLES.filter(mayAdminister)).toEqual(['admin']);
    expect(forbiddenMessage('operator', 'rotateToken')).toBe(
      'rotateToken needs the admin role; this session has the operator role',
    );
  });

  it('names who gave a command with the role they held', () => {
    expect(formatActor({ name: 'Anna', role: 'operator' })).toBe('Anna (operator)');
  });
});
