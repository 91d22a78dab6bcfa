// The Electron main process: a thin shell (window, menus, native dialogs, recent cases, window
// state, IPC wiring). The engine runs in its own utility process (engine-host.ts), so a long
// query never freezes menus or the window. The only module in the repo that imports electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, screen, session, utilityProcess, type MenuItemConstructorOptions, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CSP } from '../server/http.js';
import { readRecentCases } from '../api/view-handlers.js';
import { createIpcHandler, type ShellHandlers } from './ipc.js';
import type { HostReply } from './engine-host.js';
import { loadWindowState, saveWindowState } from './window-state.js';
import { APP_ORIGIN, APP_SCHEME, IPC_EVENT, IPC_INVOKE, isTrustedSender, windowOptions } from './window-options.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../../renderer');
const RENDERER_FILES = new Set(['index.html', 'app.js', 'app.js.map', 'styles.css']);
const CASE_FILTERS = [{ name: 'Metronome case (DuckDB)', extensions: ['duckdb', 'metronome'] }];

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;
let host: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

function send(type: string, data: unknown): void {
  win?.webContents.send(IPC_EVENT, { type, data });
}

/** Starts the engine process; its requests resolve through `pending`. */
function startEngine(paths: string[]): void {
  host = utilityProcess.fork(join(here, 'engine-host.js'), paths, { serviceName: 'Metronome engine', stdio: 'inherit' });
  host.on('message', (m: HostReply | { ready: true }) => {
    if (!('id' in m)) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  });
  host.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`the engine stopped (exit ${code})`));
    pending.clear();
    host = null;
    if (win && !win.isDestroyed()) {
      void dialog.showMessageBox(win, { type: 'error', message: 'The Metronome engine stopped', detail: `Exit code ${code}. Reopen the case to continue.` });
    }
  });
}

function callEngine(op: string, req: unknown): Promise<unknown> {
  if (!host) return Promise.reject(new Error('the engine is not running'));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    host!.postMessage({ id, op, req });
  });
}

function openDialog(opts: Electron.OpenDialogOptions) {
  return win ? dialog.showOpenDialog(win, opts) : dialog.showOpenDialog(opts);
}

function saveDialog(opts: Electron.SaveDialogOptions) {
  return win ? dialog.showSaveDialog(win, opts) : dialog.showSaveDialog(opts);
}

const shell: ShellHandlers = {
  'shell:pickLogs': async (req) => {
    const r = await openDialog({
      title: req.folders ? 'Open log folders' : 'Open log files',
      properties: req.folders ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
    });
    return { paths: r.canceled ? [] : r.filePaths };
  },
  'shell:pickCase': async (req) => {
    if (req.save) {
      const r = await saveDialog({ title: 'Save case as', defaultPath: 'case.duckdb', filters: CASE_FILTERS });
      return { path: r.canceled || !r.filePath ? null : r.filePath };
    }
    const r = await openDialog({ title: 'Open case', properties: ['openFile'], filters: CASE_FILTERS });
    return { path: r.canceled ? null : r.filePaths[0] ?? null };
  },
};

async function buildMenu(): Promise<void> {
  const recent = await readRecentCases();
  const isMac = process.platform === 'darwin';
  const go = (view: string) => () => send('navigate', { view });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Logs…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const r = await shell['shell:pickLogs']({});
            if (r.paths.length) send('open-paths', { paths: r.paths });
          },
        },
        {
          label: 'Open Log Folder…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: async () => {
            const r = await shell['shell:pickLogs']({ folders: true });
            if (r.paths.length) send('open-paths', { paths: r.paths });
          },
        },
        { type: 'separator' },
        {
          label: 'Open Case…',
          click: async () => {
            const r = await shell['shell:pickCase']({ save: false });
            if (r.path) send('open-case', { path: r.path });
          },
        },
        {
          label: 'Open Recent Case',
          enabled: recent.length > 0,
          submenu: recent.map((c) => ({ label: c.path, click: () => send('open-case', { path: c.path }) })),
        },
        {
          label: 'Save Case As…',
          accelerator: 'CmdOrCtrl+S',
          click: async () => {
            const r = await shell['shell:pickCase']({ save: true });
            if (r.path) send('save-case', { path: r.path });
          },
        },
        { type: 'separator' },
        { label: 'Export Findings as CSV…', click: () => send('export', { format: 'csv' }) },
        { label: 'Export Findings as JSON…', click: () => send('export', { format: 'json' }) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Import', accelerator: 'CmdOrCtrl+1', click: go('import') },
        { label: 'Findings', accelerator: 'CmdOrCtrl+2', click: go('findings') },
        { label: 'Overview', accelerator: 'CmdOrCtrl+3', click: go('overview') },
        { label: 'Why not?', accelerator: 'CmdOrCtrl+4', click: go('whynot') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function createWindow(): Promise<void> {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  win = new BrowserWindow({ ...windowOptions(join(here, 'preload.cjs')), width: state.width, height: state.height, x: state.x, y: state.y });
  if (state.maximized) win.maximize();
  const remember = () => {
    if (!win || win.isDestroyed()) return;
    const b = win.getNormalBounds();
    saveWindowState(stateFile, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  win.on('close', remember);
  // No new windows, no navigation away from the app.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(APP_ORIGIN)) e.preventDefault();
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(async () => {
  // Recent cases live beside the window state (main/api/view-handlers.ts reads this variable).
  process.env.METRONOME_CONFIG_DIR = app.getPath('userData');
  const paths = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-') && !a.endsWith('main.js'));
  startEngine(paths);
  protocol.handle(APP_SCHEME, (request) => {
    const name = new URL(request.url).pathname.replace(/^\//, '') || 'index.html';
    if (!RENDERER_FILES.has(name)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(join(rendererDir, name)).toString());
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  const handle = createIpcHandler(callEngine, shell);
  ipcMain.handle(IPC_INVOKE, async (event, op: unknown, req: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) throw new Error('untrusted sender');
    // createIpcHandler checks the sender again, validates shell requests, and hands engine
    // requests to the engine process, where Engine.handle validates them (ipc.ts engineCall).
    const result = await handle(event.senderFrame?.url, op, req);
    if (op === 'caseOpen' || op === 'caseSave') void buildMenu();
    return result;
  });
  await buildMenu();
  await createWindow();
});

app.on('window-all-closed', () => {
  host?.kill();
  app.quit();
});
