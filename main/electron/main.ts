// The Electron main process: a thin shell (window, menu, dialogs, IPC wiring) over the same
// Engine the CLI and browser mode use. The only module in the repo that imports electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from '../api/engine.js';
import { CSP } from '../server/http.js';
import { APP_ORIGIN, APP_SCHEME, IPC_EVENT, IPC_INVOKE, isTrustedSender, windowOptions } from './window-options.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../../renderer');
const RENDERER_FILES = new Set(['index.html', 'app.js', 'app.js.map', 'styles.css']);

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let engine: Engine;
let win: BrowserWindow | null = null;

function send(type: string, data: unknown): void {
  win?.webContents.send(IPC_EVENT, { type, data });
}

async function openPaths(paths: string[]): Promise<void> {
  const report = await engine.import(paths);
  send('imported', report);
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          {
            label: 'Open Logs…',
            accelerator: 'CmdOrCtrl+O',
            click: async () => {
              const r = await dialog.showOpenDialog({ properties: ['openFile', 'openDirectory', 'multiSelections'] });
              if (!r.canceled) await openPaths(r.filePaths);
            },
          },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

async function createWindow(): Promise<void> {
  win = new BrowserWindow(windowOptions(join(here, 'preload.cjs')));
  // No new windows, no navigation away from the app.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(APP_ORIGIN)) e.preventDefault();
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(async () => {
  engine = await Engine.open();
  protocol.handle(APP_SCHEME, (request) => {
    const name = new URL(request.url).pathname.replace(/^\//, '') || 'index.html';
    if (!RENDERER_FILES.has(name)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(join(rendererDir, name)).toString());
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  ipcMain.handle(IPC_INVOKE, async (event, op: unknown, req: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) throw new Error('untrusted sender');
    if (typeof op !== 'string') throw new Error('operation must be a string');
    // Engine.handle validates the request against the contract before anything runs.
    return JSON.parse(JSON.stringify(await engine.handle(op, req), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  });
  buildMenu();
  const paths = process.argv.slice(2).filter((a) => !a.startsWith('-') && !a.endsWith('main.js'));
  if (paths.length) await engine.import(paths);
  await createWindow();
});

app.on('window-all-closed', () => {
  engine?.close();
  app.quit();
});
