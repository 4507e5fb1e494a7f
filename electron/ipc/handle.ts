/**
 * The only way main registers an IPC handler: sender check, schema check, then the implementation, with
 * every outcome wrapped in an Envelope. Nothing thrown here ever crosses into the renderer as an exception.
 */
import { ipcArgSchemas } from '../../shared/ipc.ts';
import type { Envelope, IpcArgs, IpcChannel, IpcError, IpcResult } from '../../shared/ipc.ts';
import { IpcFailure } from '../errors.ts';
import { validateSender } from '../security.ts';
import type { FrameLike } from '../security.ts';

/** The slice of IpcMainInvokeEvent we read; `senderFrame` is null once the frame is gone. */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

export type InvokeListener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** The slice of Electron's ipcMain we use, so tests can record registrations with a plain object. */
export interface IpcMainLike {
  handle(channel: string, listener: InvokeListener): void;
}

/** The window whose main frame is the only accepted sender. */
export interface WindowLike {
  readonly webContents: { readonly mainFrame: FrameLike };
}

/** What every `registerXIpc` receives. */
export interface IpcContext<W extends WindowLike = WindowLike> {
  ipcMain: IpcMainLike;
  getWindow: () => W | null;
  /** Dev server origin in unpackaged runs; empty in production. */
  extraOrigins?: readonly string[];
}

export type Impl<C extends IpcChannel> = (args: IpcArgs<C>) => Promise<IpcResult<C>> | IpcResult<C>;

const MAX_MESSAGE_CHARS = 300;

function failure(code: IpcError['code'], message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message: message.slice(0, MAX_MESSAGE_CHARS) } };
}

function topFrameOf(getWindow: () => WindowLike | null): FrameLike | null {
  try {
    return getWindow()?.webContents.mainFrame ?? null;
  } catch {
    // A destroyed window throws on webContents access.
    return null;
  }
}

export function handle<C extends IpcChannel>(
  ipcMain: IpcMainLike,
  channel: C,
  impl: Impl<C>,
  getWindow: () => WindowLike | null,
  extraOrigins: readonly string[] = [],
): void {
  const schema = ipcArgSchemas[channel];
  ipcMain.handle(channel, async (event, ...args): Promise<Envelope<IpcResult<C>>> => {
    if (!validateSender(event?.senderFrame, topFrameOf(getWindow), extraOrigins)) {
      return failure('bad-sender', `Refused ${channel} from an untrusted frame`);
    }
    // The bridge sends at most one argument; extra ones mean someone is not using the bridge.
    if (args.length > 1) return failure('bad-payload', `${channel} takes at most one argument`);
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ');
      return failure('bad-payload', `Invalid ${channel} payload: ${detail}`);
    }
    try {
      return { ok: true, value: await impl(parsed.data as IpcArgs<C>) };
    } catch (error) {
      if (error instanceof IpcFailure) return failure(error.code, error.message);
      // Unexpected errors can carry paths and stack details: log them here, send only a generic message.
      console.error(`[sightline] ${channel} failed`, error);
      return failure('failed', `${channel} failed`);
    }
  });
}
