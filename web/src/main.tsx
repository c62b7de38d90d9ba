import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { fetchStoreCalendar } from './api.js';
import { setStoreTimeZone } from './format.js';
import { initI18n } from './i18n/index.js';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// The store's calendar before the first date is drawn; without an answer the default zone stands.
const [, calendar] = await Promise.all([initI18n(), fetchStoreCalendar().catch(() => undefined)]);
if (calendar) setStoreTimeZone(calendar.timeZone);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
