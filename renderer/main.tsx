import 'leaflet/dist/leaflet.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectStation } from './bridge/station-bridge.js';
import { App } from './components/App.js';

const root = document.getElementById('root');
if (!root) throw new Error('renderer: #root is missing from index.html');
connectStation();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
