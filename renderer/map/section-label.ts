/** A short label for a section id: 'S0012' shows as '12', 'H0060' as 'H60'. */
export function shortSectionLabel(id: string): string {
  const match = /^([A-Za-z]*)0*(\d+)$/.exec(id);
  if (!match) return id;
  return `${match[1] === 'S' ? '' : (match[1] ?? '')}${match[2] ?? ''}`;
}
