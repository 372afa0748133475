import type { StateCreator } from 'zustand';
import type { Severity } from '../../shared/index.js';
import type { StationStore } from './store.js';

export interface Notice {
  id: number;
  severity: Severity;
  message: string;
}

/** How many toasts are kept at once (each is kept in the Events tab); older ones give way. */
const MAX_NOTICES = 3;

export interface AlertsSlice {
  notices: Notice[];
  pushNotice: (severity: Severity, message: string) => void;
  dismissNotice: (id: number) => void;
}

let nextNoticeId = 1;

export const createAlertsSlice: StateCreator<StationStore, [], [], AlertsSlice> = (set) => ({
  notices: [],
  pushNotice(severity, message) {
    set((state) => ({
      notices: [...state.notices, { id: nextNoticeId++, severity, message }].slice(-MAX_NOTICES),
    }));
  },
  dismissNotice(id) {
    set((state) => ({ notices: state.notices.filter((n) => n.id !== id) }));
  },
});
