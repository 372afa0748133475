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

  it('acknowledges several alerts at once, each audited, passing over ids it no longer keeps', () => {
    const { alerts, audited, acked } = alertList();
    alerts.raise('warning', 'sim-01', 'low fuel');
    alerts.raise('warning', 'sim-02', 'low fuel');
    alerts.raise('critical', 'sim-03', 'blocked');
    const [a, b, c] = alerts.all().map((x) => x.id);
    expect(alerts.acknowledgeMany([a ?? '', b ?? '', 'alert-gone'], 'ana').ok).toBe(true);
    expect(alerts.all().map((x) => x.acknowledged)).toEqual([true, true, false]);
    expect(acked).toEqual([a, b]);
    expect(audited.filter((f) => f.kind === 'ack').map((f) => f.subject)).toEqual([a, b]);
    expect(alerts.acknowledgeMany(['alert-gone'], 'ana')).toMatchObject({ ok: false });
    expect(c).toBeDefined();
  });

  it('shows every alert still to acknowledge however many newer ones came after it', () => {
    const { alerts } = alertList();
    alerts.raise('critical', 'sim-01', 'stopped itself');
    for (let i = 0; i < 120; i++) {
      alerts.raise('info', 'station', `note ${i}`);
      alerts.acknowledge(alerts.all().at(-1)?.id ?? '', 'ana');
    }
    const shown = alerts.shown();
    expect(shown[0]?.message).toBe('stopped itself');
    expect(shown.filter((a) => a.acknowledged)).toHaveLength(50);
    expect(shown.at(-1)?.message).toBe('note 119');
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
