// Station event pipeline entry: the camera-session events a station sends (filled in by the signage issue).
import type { AppDeps } from './context.ts'
import type { stations } from '../models/offices.ts'
import type { SessionEventMessage } from './station-protocol.ts'

export type StationRow = typeof stations.$inferSelect
export type PipelineOutcome = { ack: true } | { ack: false; reason: string }

export async function acceptStationEvents(
  _deps: AppDeps,
  _station: StationRow,
  events: SessionEventMessage[],
): Promise<Map<string, PipelineOutcome>> {
  return new Map(events.map((e) => [e.id, { ack: false, reason: 'not-implemented' }]))
}
