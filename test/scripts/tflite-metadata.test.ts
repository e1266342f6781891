// Model build step: the BlazeFace models get TFLITE_METADATA (normalisation + RGB) and keep every original byte.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { ByteBuffer } from 'flatbuffers'
// @ts-expect-error plain ESM build script without types
import { addModelMetadata, buildModelMetadata, readModelMetadata } from '../../scripts/tflite-metadata.mjs'

test('metadata is added as TFLITE_METADATA, reads back, and the original model bytes are kept intact', async () => {
  const model = new Uint8Array(
    await readFile('node_modules/@mediapipe/face_detection/face_detection_short_range.tflite'),
  )
  assert.equal(readModelMetadata(model), null, 'the shipped model lacks metadata (why this step exists)')
  const metadata = buildModelMetadata({ name: 'BlazeFace short range' })
  const out = addModelMetadata(model, metadata) as Uint8Array
  assert.deepEqual(readModelMetadata(out), metadata)
  assert.equal(new TextDecoder().decode(out.subarray(4, 8)), 'TFL3')
  // the original bytes sit unchanged inside (shifted), so weights and graph are untouched
  const at = Buffer.from(out).indexOf(Buffer.from(model.subarray(8, 4096)))
  assert.ok(at > 0)
  assert.equal(
    Buffer.compare(Buffer.from(out.subarray(at - 8, at - 8 + model.length)), Buffer.from(model)),
    0,
  )
  assert.throws(() => addModelMetadata(out, metadata), /already has/)
})

test('the metadata says: identifier M001, one input normalised with mean 127.5 and std 127.5, RGB', () => {
  const bytes = buildModelMetadata({ name: 'x' }) as Uint8Array
  const bb = new ByteBuffer(bytes)
  assert.equal(new TextDecoder().decode(bytes.subarray(4, 8)), 'M001')
  const field = (table: number, slot: number) => {
    const o = bb.__offset(table, 4 + 2 * slot)
    return o ? table + o : 0
  }
  const root = bb.readInt32(bb.position()) + bb.position()
  const subgraph = bb.__vector(field(root, 3))
  const sg = bb.__indirect(subgraph)
  const input = bb.__indirect(bb.__vector(field(sg, 2)))
  const content = bb.__indirect(field(input, 3))
  assert.equal(bb.readInt8(field(content, 0)), 2, 'ImageProperties')
  assert.equal(bb.readInt8(field(bb.__indirect(field(content, 1)), 0)), 1, 'RGB')
  const unit = bb.__indirect(bb.__vector(field(input, 4)))
  assert.equal(bb.readInt8(field(unit, 0)), 1, 'NormalizationOptions')
  const norm = bb.__indirect(field(unit, 1))
  assert.equal(bb.readFloat32(bb.__vector(field(norm, 0))), 127.5)
  assert.equal(bb.readFloat32(bb.__vector(field(norm, 1))), 127.5)
})
