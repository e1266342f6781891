// Sales dashboard in the browser: shows the live connection state, reconnects with backoff after any close,
// keeps open toggles and CSRF fields across pushed fragments, and lets a lost queue race show its answer.
;(function () {
  const live = document.getElementById('dashboard-live')
  if (!live) return
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? ''
  // the htmx ws extension retries by itself only after abnormal closes; these we retry ourselves
  const retriedByExtension = [1006, 1011, 1012, 1013]
  // the server closes with these when the session is no longer valid: reconnecting cannot help
  const sessionEnded = [1008, 4001, 4003]
  let retries = 0
  let timer = 0

  const setState = (state) => {
    live.dataset.state = state
  }

  // broadcast fragments carry an empty _csrf field: the page's own token goes in (plain form posts need it)
  const fillCsrf = (root) => {
    for (const field of root.querySelectorAll('input[name="_csrf"]')) if (!field.value) field.value = csrf
  }

  live.addEventListener('htmx:wsConnecting', () => {
    if (live.dataset.state !== 'open') setState(live.dataset.state === 'lost' ? 'lost' : 'connecting')
  })
  live.addEventListener('htmx:wsOpen', () => {
    // the server's first message on every connection is the whole current state: that is the re-sync
    retries = 0
    clearTimeout(timer)
    setState('open')
  })
  live.addEventListener('htmx:wsClose', (event) => {
    const code = event.detail.event.code
    if (sessionEnded.includes(code)) return setState('ended')
    setState('lost')
    if (retriedByExtension.includes(code)) return
    // full jitter, capped at 30 s
    const delay = Math.random() * Math.min(30_000, 1000 * 2 ** retries++)
    clearTimeout(timer)
    timer = setTimeout(() => event.detail.socketWrapper.reconnect(), delay)
  })

  // a new row may already be on the page (it came with the first state after connecting): move, never twice
  live.addEventListener('htmx:oobBeforeSwap', (event) => {
    const { fragment, target } = event.detail
    // only rows inserted into the list; a row replaced in place (outerHTML) must keep its target
    if (target?.id !== 'visit-rows' || !fragment?.querySelectorAll) return
    for (const row of fragment.querySelectorAll('tr[id]')) document.getElementById(row.id)?.remove()
  })

  let openToggles = []
  live.addEventListener('htmx:wsBeforeMessage', () => {
    openToggles = [...live.querySelectorAll('details[open][id]')].map((d) => d.id)
  })
  live.addEventListener('htmx:wsAfterMessage', () => {
    for (const id of openToggles) document.getElementById(id)?.setAttribute('open', '')
    fillCsrf(live)
  })

  // a queue race lost (409) still carries the current state and a sentence saying so: show it
  htmx.config.responseHandling = [
    { code: '204', swap: false },
    { code: '409', swap: true, error: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: false, error: true },
    { code: '...', swap: false },
  ]
  // a push may replace the form whose request is still in flight; htmx then has nowhere to swap its answer
  // (the form is detached), so the fragments in that answer are swapped here, by their ids
  live.addEventListener('htmx:beforeRequest', (event) => {
    const { elt, xhr } = event.detail
    xhr.addEventListener('loadend', () => {
      if (document.body.contains(elt) || (xhr.status !== 200 && xhr.status !== 409)) return
      htmx.swap(live, xhr.responseText, { swapStyle: 'none' })
      fillCsrf(live)
    })
  })
  document.body.addEventListener('htmx:afterSettle', () => fillCsrf(live))
})()
