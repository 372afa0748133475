/**
 * How sections and machines are named to people, the same on the map, in the panels, in
 * messages and in exports. A section's id ('S0012', 'H0060') is for machines and files; its
 * label ('S12', 'H60') is what an operator reads and says. A machine is called by its name; a
 * format with room gives its id beside it.
 */

/** 'S0012' → 'S12', 'H0060' → 'H60'; an id of another shape is its own label. */
export function sectionLabel(id: string): string {
  const match = /^([A-Za-z]+)0*(\d+)$/.exec(id);
  if (!match) return id;
  return `${match[1] ?? ''}${match[2] ?? ''}`;
}

/** Several sections for a sentence: 'S12, S13'. */
export function sectionLabels(ids: readonly string[]): string {
  return ids.map(sectionLabel).join(', ');
}

/** A machine where a format has room for both: 'Tractor 1 (sim-01)'; the name alone when it is the id. */
export function machineLabel(name: string, id: string): string {
  return name === id ? name : `${name} (${id})`;
}
