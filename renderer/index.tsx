// Renderer entry: pick the transport (Electron IPC or browser-mode fetch) and mount the App.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createTransport } from './transport.js';

const transport = createTransport();
const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('missing #root element');
createRoot(rootEl).render(
  <StrictMode>
    <App transport={transport} />
  </StrictMode>,
);
