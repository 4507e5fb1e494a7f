import type { IpcError } from '../shared/ipc.ts';

/**
 * An expected failure with a code the renderer can act on. Anything else thrown inside a handler is a bug
 * and reaches the renderer only as a generic 'failed'.
 */
export class IpcFailure extends Error {
  readonly code: IpcError['code'];

  constructor(code: IpcError['code'], message: string) {
    super(message);
    this.name = 'IpcFailure';
    this.code = code;
  }
}
