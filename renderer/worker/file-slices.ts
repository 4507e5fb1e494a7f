/** Slices this large keep per-chunk costs (decoding, scanning, hashing) negligible. */
export const FILE_SLICE_BYTES = 8 * 1024 * 1024;

/** A File (or any Blob) read in large slices, in the thread that calls it: no per-chunk hop between threads. */
export async function* fileChunks(file: Blob): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < file.size; offset += FILE_SLICE_BYTES)
    yield new Uint8Array(await file.slice(offset, Math.min(file.size, offset + FILE_SLICE_BYTES)).arrayBuffer());
}
