// Stations: pairing a screen (single-use link from the admin) and the station WebSocket (hello, events, pushes).
import { Hono } from 'hono'
import type { WSContext } from 'hono/ws'
import type { AppContext, AppDeps, AppEnv } from '../context.ts'
import { pairStation, authenticateStation } from '../stations.ts'
import { appendAudit } from '../../models/audit.ts'
import { recordStationState } from '../../models/offices.ts'
import { topics } from '../live.ts'
import {
  stationSocketPath,
  maxStationMessageBytes,
  helloMessage,
  eventBatchMessage,
  consentGrantMessage,
  stationStateMessage,
  type ServerMessage,
} from '../station-protocol.ts'
import { acceptStationEvents, type StationRow } from '../station-events.ts'
import { grantKioskConsent } from '../signage.ts'
import { newEntranceCode } from '../entrance-codes.ts'
import { playlistMessage } from '../content/manifest.ts'
import { qrSvg } from '../qr.ts'
import { publicOrigin } from '../public-origin.ts'
import { RateLimiter } from '../middleware/rate-limit.ts'
import { PairPage, PairedPage } from '../../views/pair.tsx'
import { badRequest } from '../respond.tsx'

export const entranceRotateMs = 20_000
// per station: generous for a 10 Hz tick stream, tight enough to stop a flood
export const stationMessagesPerSecond = 50
export const helloTimeoutMs = 5000

export function stationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/pair/:token', (c) => {
    return c.html(<PairPage lang={c.var.lang} csrfToken={c.var.csrfToken} token={c.req.param('token')} />)
  })

  app.post('/pair/:token', async (c) => {
    const result = await pairStation(c.var.deps, c.req.param('token'))
    if (!result.ok) {
      await appendAudit(c.var.deps.database.db, {
        at: c.var.deps.clock.now(),
        actorType: 'anonymous',
        action: 'token.rejected',
        detail: { typ: 'pairing', failure: result.failure },
      })
      return badRequest(c, 'token', 400)
    }
    const { station, stationToken } = result
    return c.html(
      <PairedPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        station={station}
        stationToken={stationToken}
      />,
    )
  })

  const upgrade = deps.upgradeWebSocket
  if (upgrade) {
    app.get(
      stationSocketPath,
      upgrade((c) => stationSocket(deps, publicOrigin(c as AppContext))),
    )
  }
  return app
}

function stationSocket(deps: AppDeps, origin: string) {
  let station: StationRow | null = null
  let unsubscribe: (() => void) | null = null
  let rotation: ReturnType<typeof setInterval> | null = null
  const limiter = new RateLimiter(stationMessagesPerSecond, 1000)
  let floods = 0
  const send = (ws: WSContext, message: ServerMessage) => ws.send(JSON.stringify(message))
  let helloTimer: ReturnType<typeof setTimeout> | undefined

  async function sendEntranceToken(ws: WSContext) {
    if (!station) return
    const { code, url } = await newEntranceCode(deps, station, origin)
    send(ws, { type: 'entrance.token', url, svg: await qrSvg(url), expiresAt: code.expiresAt })
  }

  return {
    onOpen(_event: Event, ws: WSContext) {
      // a socket that does not say who it is within a few seconds is closed
      helloTimer = setTimeout(() => {
        if (!station) ws.close(4001, 'unauthorised')
      }, helloTimeoutMs)
    },
    async onMessage(event: MessageEvent, ws: WSContext) {
      const raw = typeof event.data === 'string' ? event.data : ''
      if (raw.length === 0 || raw.length > maxStationMessageBytes) {
        send(ws, { type: 'error', code: 'malformed' })
        return ws.close(1009, 'message too large')
      }
      if (!limiter.hit('station', deps.clock.now())) {
        send(ws, { type: 'error', code: 'rate-limited' })
        if (++floods > stationMessagesPerSecond * 5) ws.close(1008, 'flood')
        return
      }
      let message: unknown
      try {
        message = JSON.parse(raw)
      } catch {
        return send(ws, { type: 'error', code: 'malformed' })
      }
      if (!station) {
        const hello = helloMessage.safeParse(message)
        const authenticated = hello.success ? await authenticateStation(deps, hello.data.token) : null
        if (!authenticated) {
          send(ws, { type: 'error', code: 'unauthorised' })
          return ws.close(4001, 'unauthorised')
        }
        station = authenticated
        clearTimeout(helloTimer)
        unsubscribe = deps.live.subscribe(topics.station(station.id), ws)
        send(ws, {
          type: 'welcome',
          station: {
            id: station.id,
            kind: station.kind,
            officeId: station.officeId,
            zone: station.zone,
            modelVariant: station.modelVariant,
          },
        })
        // a display's playlist comes with the welcome (and again after each change: content/manifest.ts)
        if (station.kind === 'display') send(ws, await playlistMessage(deps.database.db, station))
        if (station.kind === 'entrance') {
          await sendEntranceToken(ws)
          rotation = setInterval(() => void sendEntranceToken(ws).catch(() => undefined), entranceRotateMs)
        }
        return
      }
      const state = stationStateMessage.safeParse(message)
      if (state.success) {
        const { type: _type, ...report } = state.data
        await deps.database.write((tx) =>
          recordStationState(tx, { stationId: station!.id, state: report, now: deps.clock.now() }),
        )
        return
      }
      const grant = consentGrantMessage.safeParse(message)
      if (grant.success) {
        const { request, notice, lang } = grant.data
        const result = await grantKioskConsent(deps, station, { noticeSha256: notice, lang, origin })
        return send(
          ws,
          result.ok
            ? {
                type: 'consent.granted',
                request,
                consent: result.consent,
                receiptUrl: result.receiptUrl,
                receiptSvg: result.receiptSvg,
              }
            : { type: 'consent.refused', request, reason: result.reason },
        )
      }
      const batch = eventBatchMessage.safeParse(message)
      const type = (message as { type?: unknown } | null)?.type
      if (!batch.success && type !== 'event') return send(ws, { type: 'error', code: 'malformed' })
      const outcomes = await acceptStationEvents(deps, station, batch.success ? batch.data.events : [message])
      if (outcomes.size === 0) return send(ws, { type: 'error', code: 'malformed' })
      const acked: string[] = []
      for (const [id, outcome] of outcomes) {
        if (outcome.ack) acked.push(id)
        else send(ws, { type: 'drop', id, reason: outcome.reason })
      }
      if (acked.length) send(ws, { type: 'ack', ids: acked })
    },
    onClose() {
      clearTimeout(helloTimer)
      if (rotation) clearInterval(rotation)
      unsubscribe?.()
    },
  }
}
