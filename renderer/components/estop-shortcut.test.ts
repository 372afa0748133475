import { describe, expect, it } from 'vitest';
import { isFleetStopShortcut } from './estop-shortcut.js';

const key = (init: Partial<KeyboardEvent>): KeyboardEvent =>
  ({
    key: '',
    shiftKey: false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    ...init,
  }) as KeyboardEvent;

describe('fleet stop shortcut', () => {
  it('is Shift+Escape', () => {
    expect(isFleetStopShortcut(key({ key: 'Escape', shiftKey: true }))).toBe(true);
  });

  it('is not plain Escape, typing, or Escape with other modifiers', () => {
    expect(isFleetStopShortcut(key({ key: 'Escape' }))).toBe(false);
    expect(isFleetStopShortcut(key({ key: 'S', shiftKey: true }))).toBe(false);
    expect(isFleetStopShortcut(key({ key: 'Escape', shiftKey: true, ctrlKey: true }))).toBe(false);
  });
});
