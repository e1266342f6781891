// Adds TFLite model metadata (input normalisation + RGB image) to a BlazeFace .tflite so MediaPipe Tasks accepts it.
import { Builder } from 'flatbuffers'

// metadata_schema.fbs field slots and union tags (tflite-support schema 1.0.x)
const colorSpaceRgb = 1
const contentImageProperties = 2
const processUnitNormalization = 1
export const metadataName = 'TFLITE_METADATA'

// the ModelMetadata flatbuffer (file identifier M001) describing one image input normalised to [-1, 1]
export function buildModelMetadata({ name, mean = 127.5, std = 127.5 }) {
  const b = new Builder(512)
  const floats = (values) => {
    b.startVector(4, values.length, 4)
    for (const v of [...values].reverse()) b.addFloat32(v)
    return b.endVector()
  }
  const tables = (offsets) => {
    b.startVector(4, offsets.length, 4)
    for (const o of [...offsets].reverse()) b.addOffset(o)
    return b.endVector()
  }
  // NormalizationOptions { mean, std }
  const meanVector = floats([mean])
  const stdVector = floats([std])
  b.startObject(2)
  b.addFieldOffset(0, meanVector, 0)
  b.addFieldOffset(1, stdVector, 0)
  const normalization = b.endObject()
  // ProcessUnit { options_type, options }
  b.startObject(2)
  b.addFieldInt8(0, processUnitNormalization, 0)
  b.addFieldOffset(1, normalization, 0)
  const processUnit = b.endObject()
  // ImageProperties { color_space }
  b.startObject(2)
  b.addFieldInt8(0, colorSpaceRgb, 0)
  const imageProperties = b.endObject()
  // Content { content_properties_type, content_properties }
  b.startObject(3)
  b.addFieldInt8(0, contentImageProperties, 0)
  b.addFieldOffset(1, imageProperties, 0)
  const content = b.endObject()
  // TensorMetadata { name, …, content (3), process_units (4) }
  const tensorName = b.createString('image')
  const processUnits = tables([processUnit])
  b.startObject(7)
  b.addFieldOffset(0, tensorName, 0)
  b.addFieldOffset(3, content, 0)
  b.addFieldOffset(4, processUnits, 0)
  const inputTensor = b.endObject()
  // SubGraphMetadata { input_tensor_metadata (2) }
  const inputs = tables([inputTensor])
  b.startObject(5)
  b.addFieldOffset(2, inputs, 0)
  const subgraph = b.endObject()
  // ModelMetadata { name (0), subgraph_metadata (3), min_parser_version (7) }
  const modelName = b.createString(name)
  const subgraphs = tables([subgraph])
  const parserVersion = b.createString('1.0.0')
  b.startObject(8)
  b.addFieldOffset(0, modelName, 0)
  b.addFieldOffset(3, subgraphs, 0)
  b.addFieldOffset(7, parserVersion, 0)
  const root = b.endObject()
  b.finish(root, 'M001')
  return b.asUint8Array()
}

// TFLite Model table slots (schema.fbs): which fields are offsets to other objects
const modelFields = [
  'version',
  'operator_codes',
  'subgraphs',
  'description',
  'buffers',
  'metadata_buffer',
].concat(['metadata', 'signature_defs'])
const slot = Object.fromEntries(modelFields.map((name, i) => [name, i]))

function readModel(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (String.fromCharCode(...bytes.subarray(4, 8)) !== 'TFL3') throw new Error('not a TFLite model')
  const root = view.getUint32(0, true)
  const vtable = root - view.getInt32(root, true)
  const vtableSize = view.getUint16(vtable, true)
  const fieldAt = (i) => {
    const entry = 4 + 2 * i
    const offset = entry < vtableSize ? view.getUint16(vtable + entry, true) : 0
    return offset ? root + offset : 0
  }
  const target = (pos) => (pos ? pos + view.getUint32(pos, true) : 0)
  const vectorElements = (pos) => {
    if (!pos) return []
    const length = view.getUint32(pos, true)
    return Array.from({ length }, (_, k) => target(pos + 4 + 4 * k))
  }
  return { view, root, fieldAt, target, vectorElements }
}

/*
 * Returns a new model with the metadata added. Flatbuffer offsets are relative and only point forward, so the
 * original bytes are kept intact and shifted by a 16-byte multiple; a new root table in front of them points at
 * the old vectors plus new `buffers`/`metadata` vectors, and the metadata buffer is appended at the end.
 */
export function addModelMetadata(model, metadata) {
  const m = readModel(model)
  const hasMetadataEntry = m
    .vectorElements(m.target(m.fieldAt(slot.metadata)))
    .some((table) => readStringField(m, table, 0) === metadataName)
  if (hasMetadataEntry) throw new Error('model already has TFLITE_METADATA')
  const oldBuffers = m.vectorElements(m.target(m.fieldAt(slot.buffers)))
  for (const buffer of oldBuffers) {
    // Buffer.offset (slot 1) is an absolute file position; shifting the bytes would break such models
    if (tableField(m, buffer, 1)) throw new Error('models with external buffer offsets are not supported')
  }
  const oldMetadata = m.vectorElements(m.target(m.fieldAt(slot.metadata)))

  const out = new Uint8Array(model.length * 1 + metadata.length + 4096)
  const view = new DataView(out.buffer)
  let at = 8
  const u32 = (pos, v) => view.setUint32(pos, v, true)
  const align = (n) => (at = Math.ceil(at / n) * n)

  // new root: vtable (8 slots) then table
  const vtable = at
  view.setUint16(vtable, 4 + 2 * modelFields.length, true)
  view.setUint16(vtable + 2, 4 + 4 * modelFields.length, true)
  modelFields.forEach((_, i) => view.setUint16(vtable + 4 + 2 * i, 4 + 4 * i, true))
  at += 4 + 2 * modelFields.length
  align(4)
  const table = at
  view.setInt32(table, table - vtable, true)
  at += 4 + 4 * modelFields.length
  const fieldPos = (i) => table + 4 + 4 * i

  // new buffers vector: old Buffer tables + one for the metadata (appended later)
  const buffersVector = at
  u32(at, oldBuffers.length + 1)
  at += 4 + 4 * (oldBuffers.length + 1)
  // new metadata vector: old entries + ours
  const metadataVector = at
  u32(at, oldMetadata.length + 1)
  at += 4 + 4 * (oldMetadata.length + 1)
  // our Metadata { name, buffer } with its vtable in front
  const entryVtable = at
  view.setUint16(at, 8, true)
  view.setUint16(at + 2, 12, true)
  view.setUint16(at + 4, 4, true)
  view.setUint16(at + 6, 8, true)
  at += 8
  const entry = at
  view.setInt32(entry, entry - entryVtable, true)
  at += 12
  const nameString = at
  const nameBytes = new TextEncoder().encode(metadataName)
  u32(at, nameBytes.length)
  out.set(nameBytes, at + 4)
  at += 4 + nameBytes.length + 1
  u32(entry + 4, nameString - (entry + 4))
  u32(entry + 8, oldBuffers.length)
  align(16)

  // the original model, shifted
  const shift = at
  out.set(model, shift)
  at += model.length
  align(4)

  // the metadata Buffer { data } and its bytes (data 16-byte aligned, as TFLite buffers are)
  const bufferVtable = at
  view.setUint16(at, 6, true)
  view.setUint16(at + 2, 8, true)
  view.setUint16(at + 4, 4, true)
  at += 8
  const bufferTable = at
  view.setInt32(bufferTable, bufferTable - bufferVtable, true)
  at += 8
  while ((at + 4) % 16) at++
  const dataVector = at
  u32(at, metadata.length)
  out.set(metadata, at + 4)
  at += 4 + metadata.length
  u32(bufferTable + 4, dataVector - (bufferTable + 4))

  // fill the vectors and the root's fields
  oldBuffers.forEach((t, k) => u32(buffersVector + 4 + 4 * k, t + shift - (buffersVector + 4 + 4 * k)))
  const lastBuffer = buffersVector + 4 + 4 * oldBuffers.length
  u32(lastBuffer, bufferTable - lastBuffer)
  oldMetadata.forEach((t, k) => u32(metadataVector + 4 + 4 * k, t + shift - (metadataVector + 4 + 4 * k)))
  const lastMetadata = metadataVector + 4 + 4 * oldMetadata.length
  u32(lastMetadata, entry - lastMetadata)
  modelFields.forEach((name, i) => {
    const pos = fieldPos(i)
    const old = m.fieldAt(i)
    if (name === 'version') return u32(pos, old ? m.view.getUint32(old, true) : 3)
    if (name === 'buffers') return u32(pos, buffersVector - pos)
    if (name === 'metadata') return u32(pos, metadataVector - pos)
    if (!old) {
      // absent in the original: mark the slot absent in our vtable too
      view.setUint16(vtable + 4 + 2 * i, 0, true)
      return
    }
    u32(pos, m.target(old) + shift - pos)
  })
  u32(0, table)
  out.set(new TextEncoder().encode('TFL3'), 4)
  return out.slice(0, at)
}

function tableField(m, table, i) {
  const vtable = table - m.view.getInt32(table, true)
  const size = m.view.getUint16(vtable, true)
  const offset = 4 + 2 * i < size ? m.view.getUint16(vtable + 4 + 2 * i, true) : 0
  return offset ? table + offset : 0
}

function readStringField(m, table, i) {
  const pos = m.target(tableField(m, table, i))
  if (!pos) return null
  const length = m.view.getUint32(pos, true)
  return new TextDecoder().decode(new Uint8Array(m.view.buffer, m.view.byteOffset + pos + 4, length))
}

// reads back the metadata bytes of a model (tests and the build's self-check)
export function readModelMetadata(model) {
  const m = readModel(model)
  const entries = m.vectorElements(m.target(m.fieldAt(slot.metadata)))
  const entry = entries.find((t) => readStringField(m, t, 0) === metadataName)
  if (!entry) return null
  const index = m.view.getUint32(tableField(m, entry, 1), true)
  const buffer = m.vectorElements(m.target(m.fieldAt(slot.buffers)))[index]
  const data = m.target(tableField(m, buffer, 0))
  const length = m.view.getUint32(data, true)
  return model.slice(data + 4, data + 4 + length)
}
