// Where uploaded signage files live: the interface the app uses (the Node adapter's store is store-node.ts).

// an upload being written: chunks go to a temporary file as they arrive, hashed on the way
export type StagingWriter = {
  write(chunk: Uint8Array): Promise<void>
  finish(): Promise<StagedFile>
  abort(): Promise<void>
}

// a complete upload not yet in the library: checked by reading parts of it, then committed or discarded
export type StagedFile = {
  sha256: string
  bytes: number
  read(offset: number, length: number): Promise<Uint8Array>
  // moves it to content/<sha256> (0600); an identical file already there is kept and this copy dropped
  commit(): Promise<void>
  discard(): Promise<void>
}

export type StoredFile = {
  size: number
  // bytes [start, end] inclusive, streamed from disk
  stream(start?: number, end?: number): ReadableStream<Uint8Array>
}

export type ContentStore = {
  stage(): Promise<StagingWriter>
  open(sha256: string): Promise<StoredFile | null>
  remove(sha256: string): Promise<void>
  // the stored hashes (tests and the operator's check that nothing lingers)
  list(): Promise<string[]>
}

export const sha256Pattern = /^[0-9a-f]{64}$/
