/**
 * The only place the renderer talks to the shell: the Electron preload's `window.sightline` in the
 * desktop app, the browser implementation in the web build.
 */
import { MAX_CHUNK_BYTES, type Envelope, type PickedFile, type SightlineBridge } from '../../shared/ipc.ts';
import { fileForToken, webBridge } from './web-bridge.ts';

declare global {
  interface Window {
    sightline?: SightlineBridge;
  }
  const __APP_VERSION__: string;
}

export const bridge: SightlineBridge = window.sightline ?? webBridge;
export const isDesktop = window.sightline !== undefined;

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new Error(envelope.error.message);
}

/** A byte stream over a picked file: a File's own stream in the browser, chunked IPC reads on the desktop. */
export function streamPickedFile(file: PickedFile): ReadableStream<Uint8Array> {
  const local = fileForToken(file.token);
  if (local) return local.stream();
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= file.size) {
        controller.close();
        await bridge.releaseFile(file.token);
        return;
      }
      const chunk = unwrap(await bridge.readChunk(file.token, offset, Math.min(MAX_CHUNK_BYTES, file.size - offset)));
      if (chunk.length === 0) {
        controller.close();
        return;
      }
      offset += chunk.length;
      controller.enqueue(chunk);
    },
    async cancel() {
      await bridge.releaseFile(file.token);
    },
  });
}
