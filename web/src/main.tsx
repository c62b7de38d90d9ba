import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { initI18n } from './i18n/index.js';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

await initI18n();

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
