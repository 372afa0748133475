/**
 * "Group commands always list the machines they will reach before they act (the fleet stop
 * excepted: it acts at once on all)". A group command asks here first; the one
 * GroupConfirm dialog shows the request and answers it. Only one question is open at a time:
 * a new one cancels the old.
 */
import { useSyncExternalStore } from 'react';

export interface GroupRequest {
  /** What will happen, e.g. "Switch the fleet to Autonomous". */
  action: string;
  /** Names of the machines the command reaches. */
  machines: readonly string[];
  /** The confirming button's text, e.g. "Switch". */
  confirmLabel: string;
}

export interface OpenGroupRequest extends GroupRequest {
  answer: (yes: boolean) => void;
}

let open: OpenGroupRequest | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls `listener` with every question as it opens (the dialog, or a test answering it). */
export function onGroupRequest(listener: (request: OpenGroupRequest) => void): () => void {
  let seen: OpenGroupRequest | null = null;
  return subscribe(() => {
    if (open !== null && open !== seen) {
      seen = open;
      listener(open);
    }
  });
}

/** Cancels the open question, if any: a stop closes every question that would set machines moving. */
export function cancelGroupRequest(): void {
  open?.answer(false);
}

/** Resolves true when the operator confirms, false when they cancel. */
export function confirmGroup(request: GroupRequest): Promise<boolean> {
  open?.answer(false);
  return new Promise((resolve) => {
    const asked: OpenGroupRequest = {
      ...request,
      answer: (yes) => {
        if (open === asked) {
          open = null;
          emit();
        }
        resolve(yes);
      },
    };
    open = asked;
    emit();
  });
}

export function useGroupRequest(): OpenGroupRequest | null {
  return useSyncExternalStore(subscribe, () => open);
}
