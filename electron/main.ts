/**
 * The Electron shell: one window, the station core in this (main) process, and a typed IPC edge.
 * Security follows the Electron security checklist: sandbox, context isolation, no Node in the
 * renderer, a strict CSP, navigation and new windows refused, IPC only from our own page and
 * validated against the shared schemas.
 */
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  IPC_CHANNELS,
  commandFailed,
  commandSchema,
  forbiddenMessage,
  formatActor,
  mayCommand,
  parseWith,
  type CommandResult,
  type Session,
} from '../shared/index.js';
import {
  PACKAGE_ROOT,
  RENDERER_DIST_DIR,
  startStationRuntime,
  type StationRuntime,
} from './runtime/index.js';
import { CONTENT_SECURITY_POLICY } from './server/index.js';
import { saveBeforeQuit } from './shell/index.js';

const RENDERER_URL = pathToFileURL(join(RENDERER_DIST_DIR, 'index.html')).href;
const SIM_TRACTORS = Number(process.env.HEADLAND_SIM ?? '6');
/** The desktop window's user is the operator at the station (docs/roles.md). */
const LOCAL_SESSION: Session = { name: 'local', role: 'operator' };

function fromOurPage(event: IpcMainInvokeEvent): boolean {
  return event.senderFrame?.url === RENDERER_URL;
}

function registerIpc(runtime: StationRuntime, window: BrowserWindow): void {
  ipcMain.handle(IPC_CHANNELS.snapshot, (event) => {
    if (!fromOurPage(event)) throw new Error('refused: IPC from a foreign frame');
    return runtime.station.snapshot();
  });
  ipcMain.handle(IPC_CHANNELS.command, async (event, payload: unknown): Promise<CommandResult> => {
    if (!fromOurPage(event))
      return { ok: false, error: { code: 'forbidden', message: 'IPC from a foreign frame' } };
    const parsed = parseWith(commandSchema, payload);
    if (!parsed.ok) return { ok: false, error: { code: 'invalid', message: parsed.error } };
    if (!mayCommand(LOCAL_SESSION.role, parsed.value))
      return commandFailed('forbidden', forbiddenMessage(LOCAL_SESSION.role, parsed.value.type));
    // STOP ALL goes to the safety core by its fast path, before anything else this thread does.
    if (parsed.value.type === 'fleetStop')
      return runtime.station.fastStop(formatActor(LOCAL_SESSION));
    return runtime.station.execute(parsed.value, formatActor(LOCAL_SESSION));
  });
  const unsubscribe = runtime.station.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_CHANNELS.event, event);
  });
  window.on('closed', unsubscribe);
}

async function createWindow(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  const runtime = await startStationRuntime({
    simCount: Number.isInteger(SIM_TRACTORS) && SIM_TRACTORS >= 0 ? SIM_TRACTORS : 6,
    dataDir: join(app.getPath('userData'), 'data'),
    host: '127.0.0.1',
    // The window's station, as `headland serve`'s: heartbeats and stops in a thread of their
    // own, so no work of the window's station delays them.
    coreProcess: true,
  });
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Headland',
    icon: join(PACKAGE_ROOT, 'assets', 'icons', 'headland.png'),
    webPreferences: {
      preload: join(PACKAGE_ROOT, 'dist', 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  registerIpc(runtime, window);
  // Quitting waits for the job to be written (runtime.close() saves first).
  saveBeforeQuit(
    app,
    () => runtime.close(),
    (line) => console.error(line),
  );
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await window.loadURL(RENDERER_URL);
}

// One window per user: a second start hands over to the first (which comes to the front). The
// data folder's own lock (startStationRuntime) refuses any other station on the same folder.
if (!app.requestSingleInstanceLock()) {
  console.error('headland: Headland is already running; its window was brought to the front');
  app.exit(0);
} else {
  app
    .whenReady()
    .then(createWindow)
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.error('headland: could not start', err);
      dialog.showErrorBox('Headland could not start', message);
      app.exit(1);
    });
  app.on('window-all-closed', () => app.quit());
}
