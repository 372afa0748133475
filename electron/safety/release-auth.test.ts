import { describe, expect, it } from 'vitest';
import { FleetKey, FleetKeyError, loadOrCreateFleetKey, readFleetKeyFile } from './fleet-key.js';
import { RELEASE_REORDER_WINDOW, ReleaseSigner, ReleaseVerifier } from './release-auth.js';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const key = FleetKey.fromHex('ab'.repeat(32));

describe('release authentication', () => {
  it('accepts a release signed for this tractor and this stop, once', () => {
    const signer = new ReleaseSigner(key, () => 1_000);
    const verifier = new ReleaseVerifier(key, 'sim-01');
    const auth = signer.sign('sim-01', 'stop-1');
    expect(verifier.verify('stop-1', auth)).toEqual({ ok: true });
    expect(verifier.verify('stop-1', auth)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a release for another tractor, another stop, another key or an altered counter', () => {
    const signer = new ReleaseSigner(key, () => 1_000);
    const auth = signer.sign('sim-01', 'stop-1');
    expect(new ReleaseVerifier(key, 'sim-02').verify('stop-1', auth).ok).toBe(false);
    expect(new ReleaseVerifier(key, 'sim-01').verify('stop-2', auth).ok).toBe(false);
    expect(new ReleaseVerifier(FleetKey.generate(), 'sim-01').verify('stop-1', auth).ok).toBe(
      false,
    );
    const altered = { counter: auth.counter + 1, mac: auth.mac };
    expect(new ReleaseVerifier(key, 'sim-01').verify('stop-1', altered)).toEqual({
      ok: false,
      reason: 'bad-mac',
    });
  });

  it('keeps counters growing even when the wall clock does not', () => {
    let wall = 5_000;
    const signer = new ReleaseSigner(key, () => wall);
    const first = signer.sign('sim-01', 'stop-1').counter;
    wall = 10; // set backwards
    expect(signer.sign('sim-01', 'stop-2').counter).toBeGreaterThan(first);
  });

  it('accepts releases that arrive out of order within the window, each once', () => {
    let wall = 1_000;
    const signer = new ReleaseSigner(key, () => wall);
    const verifier = new ReleaseVerifier(key, 'sim-01');
    const older = signer.sign('sim-01', 'stop-1');
    wall += 300;
    const newer = signer.sign('sim-01', 'stop-2');
    expect(verifier.verify('stop-2', newer).ok).toBe(true);
    expect(verifier.verify('stop-1', older)).toEqual({ ok: true });
    expect(verifier.verify('stop-1', older)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifier.verify('stop-2', newer)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a release older than the window, even one never seen', () => {
    let wall = 1_000;
    const signer = new ReleaseSigner(key, () => wall);
    const verifier = new ReleaseVerifier(key, 'sim-01');
    const held = signer.sign('sim-01', 'stop-1');
    const accepted = signer.sign('sim-01', 'stop-0');
    expect(verifier.verify('stop-0', accepted).ok).toBe(true);
    wall += RELEASE_REORDER_WINDOW + 1;
    expect(verifier.verify('stop-2', signer.sign('sim-01', 'stop-2')).ok).toBe(true);
    expect(verifier.verify('stop-1', held)).toEqual({ ok: false, reason: 'replayed' });
    // Pruned from memory but still refused: older than the window.
    expect(verifier.verify('stop-0', accepted)).toEqual({ ok: false, reason: 'replayed' });
  });
});

describe('fleet key file', () => {
  it('is created owner-only on first start and read back the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-key-'));
    const created = loadOrCreateFleetKey(dir);
    expect(created.created).toBe(true);
    expect(statSync(created.file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateFleetKey(dir);
    expect(again.created).toBe(false);
    expect(again.key.toHex()).toBe(created.key.toHex());
  });

  it('names the file and the problem when the key is malformed or missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-key-'));
    const file = join(dir, 'fleet.key');
    writeFileSync(file, 'not a key');
    expect(() => readFleetKeyFile(file)).toThrow(FleetKeyError);
    expect(() => readFleetKeyFile(file)).toThrow(/fleet.key: a fleet key is 64 hexadecimal digits/);
    expect(() => readFleetKeyFile(join(dir, 'missing.key'))).toThrow(/cannot read the fleet key/);
  });

  it('refuses a key with a flipped digit that is still hexadecimal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-key-'));
    const { file, key } = loadOrCreateFleetKey(dir);
    const text = readFileSync(file, 'utf8');
    const digit = text[5] === '0' ? '1' : '0';
    writeFileSync(file, `${text.slice(0, 5)}${digit}${text.slice(6)}`);
    expect(() => readFleetKeyFile(file)).toThrow(/fleet key is damaged/);
    // A file written before the check line is still read.
    writeFileSync(file, `${key.toHex()}\n`);
    expect(readFleetKeyFile(file).toHex()).toBe(key.toHex());
  });
});
