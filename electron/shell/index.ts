export { saveBeforeQuit } from './save-before-quit.js';
