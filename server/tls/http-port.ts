// The plain-HTTP port beside HTTPS (HTTP_PORT): the ACME challenge, /ca.crt, and a redirect to the HTTPS origin for
// everything else. Nothing of the app is served over plain HTTP. Web-standard (Hono), like the app.
import { Hono } from 'hono'
import type { Challenges } from './acme.ts'
import { caCertificatePath, caCertificateResponse } from './routes.ts'

export function httpPortApp({
  challenges,
  caCertPem,
  httpsOrigin,
}: {
  challenges: Challenges
  caCertPem: () => string | undefined
  // PUBLIC_URL's origin, or https on the same host name at the HTTPS port
  httpsOrigin: (requestUrl: URL) => string
}) {
  const app = new Hono()
  app.get('/.well-known/acme-challenge/:token', (c) => {
    const keyAuthorization = challenges.get(c.req.param('token'))
    return keyAuthorization ? c.text(keyAuthorization) : c.text('Not found', 404)
  })
  app.get(caCertificatePath, (c) => {
    const certPem = caCertPem()
    return certPem ? caCertificateResponse(certPem) : c.text('Not found', 404)
  })
  app.all('*', (c) => {
    const url = new URL(c.req.url)
    return c.redirect(`${httpsOrigin(url)}${url.pathname}${url.search}`, 301)
  })
  return app
}
