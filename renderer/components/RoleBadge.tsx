import { useStationStore } from '../store/store.js';
import { VIEWER_HINT } from './role-gate.js';

const ROLE_TEXT = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' } as const;

/** The page's role (and the name it gave) in the job header. */
export function RoleBadge() {
  const session = useStationStore((s) => s.session);
  if (!session) return null;
  const who = session.name === session.role ? '' : ` · ${session.name}`;
  return (
    <span
      className={`role-badge role-badge--${session.role}`}
      data-testid="role-badge"
      data-role={session.role}
      title={session.role === 'viewer' ? `${VIEWER_HINT}; the stops still work` : undefined}
    >
      {ROLE_TEXT[session.role]}
      {who}
    </span>
  );
}
