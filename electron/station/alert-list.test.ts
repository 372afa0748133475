import { describe, expect, it } from 'vitest';
import type { AuditFields } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { AlertList } from './alert-list.js';

function alertList(): { alerts: AlertList; audited: AuditFields[]; acked: string[] } {
  const audited: AuditFields[] = [];
  const acked: string[] = [];
  const alerts = new AlertList({
    clock: new ManualClock(),
    audit: (fields) => audited.push(fields),
    notice: () => undefined,
    mirror: () => ({ raiseAlert: () => undefined, acknowledgeAlert: (id) => acked.push(id) }),
    changed: () => undefined,
  });
  return { alerts, audited, acked };
}

describe('AlertList', () => {
  it('keeps only the latest 200 alerts', () => {
    const { alerts } = alertList();
    for (let i = 0; i < 205; i++) alerts.raise('info', 'station', `alert ${i}`);
    expect(alerts.all()).toHaveLength(200);
    expect(alerts.all()[0]?.message).toBe('alert 5');
  });

  it('acknowledges an alert in the list and the shared document, and audits who did it', () => {
    const { alerts, audited, acked } = alertList();
    alerts.raise('warning', 'sim-01', 'low fuel');
    const id = alerts.all()[0]?.id ?? '';
    expect(alerts.acknowledge(id, 'ana').ok).toBe(true);
    expect(alerts.all()[0]?.acknowledged).toBe(true);
    expect(acked).toEqual([id]);
    expect(audited.at(-1)).toMatchObject({ kind: 'ack', actor: 'ana', subject: id });
  });

  it('refuses to acknowledge an alert it does not know', () => {
    const { alerts } = alertList();
    expect(alerts.acknowledge('alert-x', 'ana')).toMatchObject({ ok: false });
  });
});

describe('AlertList ids', () => {
  it('gives every alert its own id, also one raised while another is being audited, and after alerts read back', () => {
    let list: AlertList | null = null;
    let reentered = false;
    const clock = new ManualClock();
    list = new AlertList({
      clock,
      audit: () => {
        if (reentered) return;
        reentered = true;
        list?.raise('warning', 'recorder', 'recording damaged');
      },
      notice: () => undefined,
      mirror: () => null,
      changed: () => undefined,
    });
    list.raise('info', 'can', 'address claimed');
    list.raise('info', 'can', 'address claimed again');
    const readBack = list.all().map((a) => ({ ...a }));
    const restarted = new AlertList({
      clock: new ManualClock(),
      audit: () => undefined,
      notice: () => undefined,
      mirror: () => null,
      changed: () => undefined,
    });
    restarted.adopt(readBack);
    restarted.raise('info', 'can', 'address claimed');
    const ids = restarted.all().map((a) => a.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });
});
