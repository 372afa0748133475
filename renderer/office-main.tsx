import 'leaflet/dist/leaflet.css';
import './styles.css';
import './office.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectOffice } from './bridge/office-bridge.js';
import { OfficeApp } from './components/OfficeApp.js';

const root = document.getElementById('root');
if (!root) throw new Error('renderer: #root is missing from office.html');
connectOffice();
createRoot(root).render(
  <StrictMode>
    <OfficeApp />
  </StrictMode>,
);
