// The desktop window's security settings, kept free of Electron imports so a unit test can
// assert them on machines where Electron cannot run.
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://metronome`;

export function windowOptions(preloadPath: string) {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#0f1419',
    title: 'Metronome',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  } as const;
}

/** Only our own app pages may call the engine. */
export function isTrustedSender(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Channel names of the bridge; the preload exposes nothing else. */
export const IPC_INVOKE = 'metronome:invoke';
export const IPC_EVENT = 'metronome:event';
