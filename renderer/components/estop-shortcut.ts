/** Keyboard shortcut for the fleet stop: Shift+Escape, which typing never produces. */
export function isFleetStopShortcut(
  event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>,
): boolean {
  return (
    event.key === 'Escape' && event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey
  );
}
