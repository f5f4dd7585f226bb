/**
 * The web console: `startConsole(cluster, { port, host })` serves a page that watches the
 * cluster live and acts on it (cluster.console() and `memkafka serve --ui` both start it).
 *
 *   GET  /                      the page (its script and style are built into the bundle)
 *   GET  /api/state             the cluster's description, once
 *   GET  /api/live              server-sent events: a snapshot, then deltas (live-updates.ts)
 *   GET  /api/story?topic=&group=&broker=      the timeline told as the story tells it
 *   GET  /api/playback?topic=&group=&broker=   the same, cut into instants with their events
 *   GET  /api/messages?topic=&partition=&offset=|timestamp=&limit=   the message browser
 *   POST /api/actions/<name>    JSON body; see actions.ts for the names
 *
 * It binds to localhost unless told otherwise. A browser on another site cannot drive it: a POST
 * must be JSON (a cross-site form cannot send that without a preflight this server never
 * answers) and must come from the console's own origin when the browser says where it comes
 * from. Bound to the loopback interface, it also answers only requests addressed to a loopback
 * name (the Host header), so a site whose name is made to resolve to 127.0.0.1 (DNS rebinding)
 * cannot read it either. Malformed requests get a 4xx with a message and leave the cluster as
 * it was.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConsoleError, badRequest, fromThrown } from './console-error.js'
import { actions } from './actions.js'
import { browse } from './message-browser.js'
import { playbackOf, readStoryFilter, storyOf } from './story-view.js'
import { LiveUpdates, type LiveStats } from './live-updates.js'
import { asObject, type Fields } from './request-fields.js'
import type { ConsoleCluster } from './cluster-requests.js'
import { ManualClock } from '../cluster/clock.js'
import { pageHtml } from './page/page-html.js'
import { pageScript } from './page/page-script.js'
import { pageStyle } from './page/page-style.js'

export interface ConsoleOptions {
  /** Default 0: any free port. */
  readonly port?: number
  /** Default 'localhost'. Anything else exposes the console (and its actions) to that network. */
  readonly host?: string
  /** How often open pages are brought up to date, in real ms. Default 50. */
  readonly refreshMs?: number
}

export interface WebConsole {
  /** http://host:port/ */
  readonly url: string
  readonly port: number
  /** Open pages, ticks done, the last tick's cost. */
  readonly stats: LiveStats
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1 << 20
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

function addressedToLoopback(request: IncomingMessage): boolean {
  const host = request.headers.host
  if (!host) return false
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!
  return LOOPBACK_NAMES.has(name.toLowerCase())
}

export async function startConsole(cluster: ConsoleCluster, options: ConsoleOptions = {}): Promise<WebConsole> {
  const host = options.host ?? 'localhost'
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`console port must be an integer from 0 to 65535, got ${port}`)
  const refreshMs = options.refreshMs ?? 50
  if (!(refreshMs > 0)) throw new TypeError(`refreshMs must be positive, got ${refreshMs}`)
  const live = new LiveUpdates(cluster, refreshMs)
  const loopbackOnly = LOOPBACK_NAMES.has(host)
  const server = createServer((request, response) => {
    if (loopbackOnly && !addressedToLoopback(request)) {
      answerError(response, new ConsoleError(403, 'INVALID_REQUEST', `This console answers requests to localhost only, not to ${request.headers.host ?? 'no Host'}`))
      return
    }
    route(cluster, live, request, response).catch((error: unknown) => answerError(response, fromThrown(error)))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  const removeCloseListener = cluster.onClose(() => live.closeAll())
  let closing: Promise<void> | undefined
  return {
    url: `http://${shownHost}:${bound}/`,
    port: bound,
    get stats() {
      return live.stats
    },
    close() {
      closing ??= closeServer(server, live, removeCloseListener)
      return closing
    },
  }
}

async function closeServer(server: Server, live: LiveUpdates, removeCloseListener: () => void): Promise<void> {
  removeCloseListener()
  live.closeAll()
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

async function route(cluster: ConsoleCluster, live: LiveUpdates, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://console.invalid')
  const path = url.pathname
  const method = request.method ?? 'GET'
  const query = Object.fromEntries(url.searchParams) as Fields

  if (method === 'GET' || method === 'HEAD') {
    if (path === '/' || path === '/index.html') return answer(response, 200, 'text/html; charset=utf-8', pageHtml)
    if (path === '/console.js') return answer(response, 200, 'text/javascript; charset=utf-8', pageScript)
    if (path === '/console.css') return answer(response, 200, 'text/css; charset=utf-8', pageStyle)
    if (path === '/api/live') return live.add(response)
    if (path === '/api/state') return answerJson(response, 200, { ...cluster.describe(), manualClock: cluster.clock instanceof ManualClock })
    if (path === '/api/story') return answerJson(response, 200, storyOf(cluster, readStoryFilter(query)))
    if (path === '/api/playback') return answerJson(response, 200, playbackOf(cluster, readStoryFilter(query)))
    if (path === '/api/messages') return answerJson(response, 200, await browse(cluster, query))
    if (path.startsWith('/api/actions/')) throw new ConsoleError(405, 'METHOD_NOT_ALLOWED', `${path} takes POST`)
    throw new ConsoleError(404, 'NOT_FOUND', `No such page or endpoint: ${path}`)
  }
  if (method === 'POST' && path.startsWith('/api/actions/')) {
    const name = decodeURIComponent(path.slice('/api/actions/'.length))
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined
    if (!action) throw new ConsoleError(404, 'NOT_FOUND', `No such action: ${name} (actions: ${Object.keys(actions).join(', ')})`)
    checkSameOrigin(request)
    const fields = asObject(await readJson(request))
    return answerJson(response, 200, { ok: true, result: await action(cluster, fields) })
  }
  throw new ConsoleError(405, 'METHOD_NOT_ALLOWED', `${method} ${path} is not supported`)
}

function checkSameOrigin(request: IncomingMessage): void {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) throw new ConsoleError(415, 'INVALID_REQUEST', 'Actions take a JSON body (Content-Type: application/json)')
  const origin = request.headers.origin
  if (origin !== undefined && origin !== 'null') {
    let host: string
    try {
      host = new URL(origin).host
    } catch {
      throw new ConsoleError(403, 'INVALID_REQUEST', `Unreadable Origin header: ${origin}`)
    }
    if (host !== request.headers.host) throw new ConsoleError(403, 'INVALID_REQUEST', `Actions are accepted from the console's own page only, not from ${origin}`)
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new ConsoleError(413, 'INVALID_REQUEST', `The request body is over ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw badRequest(`The request body is not JSON: ${(error as Error).message}`)
  }
}

function answer(response: ServerResponse, status: number, type: string, body: string): void {
  if (response.headersSent) {
    response.end()
    return
  }
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  response.end(body)
}

function answerJson(response: ServerResponse, status: number, body: unknown): void {
  answer(response, status, 'application/json; charset=utf-8', JSON.stringify(body))
}

function answerError(response: ServerResponse, error: ConsoleError): void {
  answerJson(response, error.status, { ok: false, error: error.code, message: error.message })
}
