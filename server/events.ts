// Domain events: what changed, announced once by the code that changed it; live views and stations listen.
import { log } from './log.ts'
export type DomainEvent =
  | { type: 'visit.checked-in'; officeId: string; visitId: string }
  | { type: 'visit.updated'; officeId: string; visitId: string }
  | { type: 'consent.changed'; officeId: string; consentId: string; visitId: string | null; granted: boolean }
  | {
      type: 'camera-session.changed'
      officeId: string
      sessionId: string
      visitId: string | null
      stationId: string
    }
  | { type: 'notice.published'; officeId: string; lang: string }
  // the office's settings (names, processor, contact, address, time zone) were saved
  | { type: 'office.changed'; officeId: string }
  | { type: 'station.revoked'; officeId: string; stationId: string }
  | { type: 'referral.changed'; officeId: string; referralId: string; brokerId: string }

export type DomainEventListener = (event: DomainEvent) => void | Promise<void>

export class EventBus {
  #listeners: DomainEventListener[] = []

  on(listener: DomainEventListener): () => void {
    this.#listeners.push(listener)
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener)
    }
  }

  // listeners run after the change is committed; one failing listener does not stop the others
  emit(event: DomainEvent): void {
    for (const listener of this.#listeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error) =>
          log({ msg: 'event listener failed', type: event.type, error: String(error) }, 'error'),
        )
    }
  }
}
