/**
 * Runs sandboxed before the page: it can require nothing but 'electron', which is why
 * scripts/build-electron.mjs bundles it into one file and fails if any other require survives.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('sightline', createBridge(ipcRenderer));
