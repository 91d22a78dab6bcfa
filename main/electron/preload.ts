// The preload bridge: a generic invoke/on pair and nothing else, so the renderer depends on a
// small shape, not on Electron. Bundled to CommonJS (sandboxed preloads cannot be ES modules).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const INVOKE = 'metronome:invoke';
const EVENT = 'metronome:event';

contextBridge.exposeInMainWorld('metronome', {
  invoke: (op: string, req: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE, op, req),
  on: (listener: (event: { type: string; data: unknown }) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: { type: string; data: unknown }) => listener(payload);
    ipcRenderer.on(EVENT, wrapped);
    return () => ipcRenderer.removeListener(EVENT, wrapped);
  },
});
