import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AttendantApp } from './attendant/AttendantApp';
import './styles.css';

// The attendant view is the same bundle, served by a kiosk's attendant listener at ?view=attendant.
const attendant = new URLSearchParams(window.location.search).get('view') === 'attendant';
const root = document.getElementById('root');
if (root) createRoot(root).render(attendant ? <AttendantApp /> : <App />);
