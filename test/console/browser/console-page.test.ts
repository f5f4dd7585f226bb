/**
 * The console's page in a real browser (headless Chromium): it loads without errors, shows the
 * cluster, follows it live, and every action works from the page. With CONSOLE_SCREENSHOTS=1 it
 * also takes the screenshots docs/console.md shows (docs/images/console-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'puppeteer-core'
import { Cluster, ManualClock, type Consumer, type WebConsole } from '../../../src/index.js'
import { chromiumPath, launchChromium, openPage } from './chromium.js'

// The callbacks given to page.evaluate run in the browser; this project's TypeScript has no DOM
// library (src must not lean on one), so the few browser globals they use are declared here.
declare const document: any
declare const location: any

const screenshots = process.env['CONSOLE_SCREENSHOTS'] === '1'
async function shoot(page: Page, name: string): Promise<void> {
  if (screenshots) await page.screenshot({ path: `docs/images/console-${name}.png`, fullPage: false })
}

async function tab(page: Page, name: string): Promise<void> {
  await page.evaluate((n) => (location.hash = `#${n}`), name)
  await page.waitForSelector(`section#${name}.active`)
}

/**
 * Clicks the element `selector` finds, found and clicked in one step in the page: the page
 * re-renders as the cluster changes (live updates), so an element found first and clicked after
 * (puppeteer's page.click) may have been replaced in between ("Node is detached from document").
 */
async function click(page: Page, selector: string): Promise<void> {
  await page.$eval(selector, (el) => (el as any).click())
}

async function noticeText(page: Page, kind: 'ok' | 'error'): Promise<string> {
  await page.waitForSelector(`#notice[data-kind="${kind}"]`, { timeout: 5000 })
  return page.$eval('#notice', (n) => n.textContent ?? '')
}

/** Clears the notice so the next action's notice is the one read. */
async function clearNotice(page: Page): Promise<void> {
  await page.evaluate(() => {
    const n = document.getElementById('notice')!
    n.removeAttribute('data-kind')
    n.textContent = ''
  })
}

async function fill(page: Page, form: string, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    await page.$eval(`${form} [name="${name}"]`, (el, v) => {
      const input = el as any
      if (input.type === 'checkbox') input.checked = v === 'true'
      else input.value = v
    }, value)
  }
}

/** Chromium logs each 4xx answer as a failed load: the refusals a test asks for on purpose are not errors of the page. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 422 \(Unprocessable Entity\)/.test(e))

const partitionRow = (topic: string, partition: number) => `[data-topic="${topic}"] tr[data-partition="${partition}"]`

let browser: Browser
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

describe.skipIf(!chromiumPath)('the console page in Chromium', () => {
  let cluster: Cluster
  let ui: WebConsole
  const consumers: Consumer[] = []

  beforeAll(async () => {
    cluster = new Cluster({ brokers: 3, brokerConfig: { 'min.insync.replicas': 2 } })
    const kafka = cluster.kafka({ clientId: 'shop' })
    const admin = kafka.admin()
    await admin.createTopics({
      topics: [
        { topic: 'orders', numPartitions: 3, replicationFactor: 3 },
        { topic: 'payments', numPartitions: 1, replicationFactor: 2 },
      ],
    })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ key: 'o-1', value: JSON.stringify({ id: 1, total: 30 }), headers: { source: 'web' } }, { key: 'o-2', value: 'second' }] })
    await producer.disconnect()
    // Two members on a one-partition topic: one of them is idle.
    for (const clientId of ['billing-1', 'billing-2']) {
      const consumer = cluster.kafka({ clientId }).consumer({ groupId: 'billing' })
      await consumer.connect()
      await consumer.subscribe({ topic: 'payments', fromBeginning: true })
      await consumer.run({ eachMessage: async () => {} })
      consumers.push(consumer)
    }
    const shipping = kafka.consumer({ groupId: 'shipping' })
    await shipping.connect()
    await shipping.subscribe({ topic: 'orders', fromBeginning: true })
    await shipping.run({ eachMessage: async () => {} })
    consumers.push(shipping)
    await cluster.settle()
    ui = await cluster.console()
  })

  afterAll(async () => {
    for (const c of consumers) await c.disconnect()
    await ui?.close()
    await cluster?.close()
  })

  it('loads with no console errors and lists the topics and groups of the cluster', async () => {
    const { page, errors } = await openPage(browser, ui.url)
    await page.waitForSelector('#connection.live')
    await page.waitForSelector('[data-broker="0"][data-state="up"]')
    const controller = cluster.describe().controllerId
    expect(await page.$eval(`[data-broker="${controller}"]`, (el) => el.textContent)).toContain('controller')
    await shoot(page, 'brokers')

    await tab(page, 'topics')
    const topics = await page.$$eval('[data-topic]', (els) => els.map((el) => el.getAttribute('data-topic')))
    expect(topics).toEqual(['orders', 'payments'])
    expect(await page.$$eval('[data-topic="orders"] tr[data-partition]', (rows) => rows.length)).toBe(3)
    const strips = await page.$$eval(`${partitionRow('orders', 0)} .strip`, (els) => els.length)
    expect(strips).toBe(3)
    await shoot(page, 'topics')

    await tab(page, 'groups')
    const groups = await page.$$eval('[data-group]', (els) => els.map((el) => [el.getAttribute('data-group'), el.getAttribute('data-state')]))
    expect(groups).toEqual([
      ['billing', 'Stable'],
      ['shipping', 'Stable'],
    ])
    expect(await page.$eval('[data-group="billing"]', (el) => el.textContent)).toContain('idle: no partitions')
    await shoot(page, 'groups')
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows a produced message, and the high watermark moving within a second', async () => {
    const { page, errors } = await openPage(browser, `${ui.url}#topics`)
    const before = cluster.describe().topics.find((t) => t.name === 'orders')!.partitions[1]!.highWatermark
    const producer = cluster.kafka().producer()
    await producer.connect()
    const started = performance.now()
    await producer.send({ topic: 'orders', messages: [{ partition: 1, key: 'o-3', value: 'third' }] })
    await page.waitForSelector(`${partitionRow('orders', 1)}[data-hw="${before + 1}"]`, { timeout: 1000 })
    expect(performance.now() - started).toBeLessThan(1000)
    await producer.disconnect()

    await tab(page, 'messages')
    await page.select('#browse-topic', 'orders')
    await fill(page, '#browse', { partition: '1', offset: '', limit: '10' })
    await click(page, '#browse button[type="submit"]')
    await page.waitForSelector('#records tr[data-offset]')
    const values = await page.$$eval('#records tr[data-offset] td.data:nth-child(5)', (tds) => tds.map((td) => td.textContent))
    expect(values).toContain('third')
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows transaction markers and aborted records in the message browser, as text, JSON or hex', async () => {
    const kafka = cluster.kafka({ clientId: 'ledger' })
    await kafka.admin().createTopics({ topics: [{ topic: 'ledger', numPartitions: 1, replicationFactor: 3 }] })
    const producer = kafka.producer({ transactionalId: 'ledger-writer', idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const kept = await producer.transaction()
    await kept.send({ topic: 'ledger', messages: [{ key: 'acct-1', value: JSON.stringify({ credit: 10 }), headers: { 'trace-id': 't-1' } }] })
    await kept.commit()
    const dropped = await producer.transaction()
    await dropped.send({ topic: 'ledger', messages: [{ key: 'acct-2', value: JSON.stringify({ debit: 99 }) }] })
    await dropped.abort()
    await producer.disconnect()

    const { page, errors } = await openPage(browser, `${ui.url}#messages`)
    await page.select('#browse-topic', 'ledger')
    await fill(page, '#browse', { partition: '0', offset: '', format: 'json' })
    await click(page, '#browse button[type="submit"]')
    await page.waitForSelector('#records tr[data-offset="3"]')
    const rows = await page.$$eval('#records tr[data-offset]', (trs: any[]) => trs.map((tr) => [tr.getAttribute('data-offset'), tr.className, tr.textContent]))
    expect(rows.map(([offset, cls]: string[]) => [offset, cls])).toEqual([
      ['0', 'record'],
      ['1', 'record control'],
      ['2', 'record aborted'],
      ['3', 'record control'],
    ])
    expect(rows[0]![2]).toContain('"credit": 10')
    expect(rows[1]![2]).toContain('COMMIT marker')
    expect(rows[2]![2]).toContain('aborted')
    expect(rows[3]![2]).toContain('ABORT marker')
    await shoot(page, 'messages')
    await page.select('#browse [name="format"]', 'hex')
    await click(page, '#browse button[type="submit"]')
    await page.waitForFunction(() => document.querySelector('#records tr[data-offset="0"]')?.textContent.includes('7b 22'))
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the leader move when the leader broker stops, and the broker back when it starts', async () => {
    const { page, errors } = await openPage(browser, `${ui.url}#topics`)
    const p = cluster.describe().topics.find((t) => t.name === 'orders')!.partitions[2]!
    await tab(page, 'brokers')
    await click(page, `[data-broker="${p.leader}"] button[data-action="stop-broker"]`)
    await page.waitForSelector(`[data-broker="${p.leader}"][data-state="stopped"]`, { timeout: 2000 })
    await tab(page, 'topics')
    const row = await page.waitForSelector(`${partitionRow('orders', 2)}:not([data-leader="${p.leader}"])`, { timeout: 2000 })
    expect(Number(await row!.evaluate((el) => el.getAttribute('data-epoch')))).toBe(p.leaderEpoch + 1)
    expect(await row!.evaluate((el) => el.textContent)).toContain('under-replicated')
    await shoot(page, 'leader-moved')
    await tab(page, 'brokers')
    await click(page, `[data-broker="${p.leader}"] button[data-action="start-broker"]`)
    await page.waitForSelector(`[data-broker="${p.leader}"][data-state="up"]`, { timeout: 5000 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('creates, produces to, deletes records of and deletes a topic from the page, and shows Kafka errors', async () => {
    const { page, errors } = await openPage(browser, `${ui.url}#topics`)
    page.on('dialog', (dialog) => void dialog.accept())
    await fill(page, '#create-topic', { name: 'audit', partitions: '2', replicationFactor: '2', configs: 'retention.ms=60000' })
    await click(page, '#create-topic button[type="submit"]')
    await page.waitForSelector('[data-topic="audit"]')
    expect(cluster.describe().topics.find((t) => t.name === 'audit')!.configs).toEqual({ 'retention.ms': '60000' })

    await clearNotice(page)
    await click(page, '#create-topic button[type="submit"]')
    expect(await noticeText(page, 'error')).toContain('TOPIC_ALREADY_EXISTS')
    await clearNotice(page)
    await fill(page, '#create-topic', { name: 'too-many', replicationFactor: '4', configs: '' })
    await click(page, '#create-topic button[type="submit"]')
    expect(await noticeText(page, 'error')).toContain('INVALID_REPLICATION_FACTOR')
    expect(cluster.describe().topics.some((t) => t.name === 'too-many')).toBe(false)

    await tab(page, 'messages')
    for (const value of ['one', 'two', 'three']) {
      await clearNotice(page)
      await fill(page, '#produce', { topic: 'audit', partition: '1', key: 'k', value, headers: 'trace=abc', nullKey: 'false' })
      await click(page, '#produce button[type="submit"]')
      expect(await noticeText(page, 'ok')).toContain('produce')
    }
    await tab(page, 'topics')
    await page.waitForSelector(`${partitionRow('audit', 1)}[data-hw="3"]`)

    await tab(page, 'messages')
    await clearNotice(page)
    await fill(page, '#delete-records', { topic: 'audit', partition: '1', offset: '2' })
    await click(page, '#delete-records button[type="submit"]')
    expect(await noticeText(page, 'ok')).toContain('lowWatermark')
    expect(cluster.describe().topics.find((t) => t.name === 'audit')!.partitions[1]!.logStartOffset).toBe(2)
    await page.select('#browse-topic', 'audit')
    await fill(page, '#browse', { partition: '1', offset: '', format: 'text' })
    await click(page, '#browse button[type="submit"]')
    await page.waitForSelector('#records tr[data-offset="2"]')
    expect(await page.$eval('#records tr[data-offset="2"]', (tr) => tr.textContent)).toContain('trace=abc')

    await tab(page, 'topics')
    await click(page, '[data-topic="audit"] button[data-action="delete-topic"]')
    await page.waitForFunction(() => !document.querySelector('[data-topic="audit"]'), { timeout: 2000 })
    expect(cluster.describe().topics.some((t) => t.name === 'audit')).toBe(false)
    expect(unexpected(errors)).toEqual([])
    await page.close()
  })

  it('resets a group offsets with a preview first, and refuses while the group is active', async () => {
    const { page, errors } = await openPage(browser, `${ui.url}#groups`)
    await fill(page, '#reset-offsets', { groupId: 'shipping', topic: 'orders', partition: '', to: 'earliest', value: '' })
    await click(page, '#reset-offsets button[value="preview"]')
    expect(await noticeText(page, 'error')).toContain('NON_EMPTY_GROUP')
    const shipping = consumers.pop()!
    await shipping.disconnect()
    await page.waitForSelector('[data-group="shipping"][data-state="Empty"]', { timeout: 2000 })
    await clearNotice(page)
    await click(page, '#reset-offsets button[value="preview"]')
    await page.waitForSelector('#reset-plan table')
    expect(await page.$eval('#reset-plan', (el) => el.textContent)).toContain('Preview only')
    const committedBefore = cluster.describe().groups.find((g) => g.groupId === 'shipping')!.offsets.map((o) => o.committedOffset)
    expect(committedBefore.some((o) => o > 0)).toBe(true)
    await clearNotice(page)
    await click(page, '#reset-offsets button[value="execute"]')
    await page.waitForFunction(() => document.getElementById('reset-plan')!.textContent!.includes('Offsets committed'))
    expect(cluster.describe().groups.find((g) => g.groupId === 'shipping')!.offsets.every((o) => o.committedOffset === 0)).toBe(true)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-group="shipping"] tr[data-offset] td:nth-child(3)')].every((td) => td.textContent === '0'))
    await shoot(page, 'reset-offsets')
    expect(unexpected(errors)).toEqual([])
    await page.close()
  })

  it('crashes, isolates and heals brokers, and runs the cleaner, from the page', async () => {
    const { page, errors } = await openPage(browser, `${ui.url}#brokers`)
    await click(page, '[data-broker="2"] button[data-action="crash-broker"]')
    await page.waitForSelector('[data-broker="2"][data-state="crashed"]', { timeout: 2000 })
    await click(page, '[data-broker="2"] button[data-action="start-broker"]')
    await page.waitForSelector('[data-broker="2"]:not([data-state="crashed"])', { timeout: 2000 })
    await click(page, '[data-broker="1"] button[data-action="isolate-broker"]')
    await page.waitForSelector('[data-broker="1"][data-state="isolated"]', { timeout: 2000 })
    await shoot(page, 'isolated')
    await click(page, '#heal')
    await page.waitForSelector('[data-broker="1"]:not([data-state="isolated"])', { timeout: 2000 })
    expect(cluster.describe().brokers.every((b) => !b.isolated)).toBe(true)
    await clearNotice(page)
    await click(page, '#run-cleaner')
    expect(await noticeText(page, 'ok')).toContain('run-cleaner')
    expect(cluster.timeline({ types: ['brokerIsolated', 'networkHealed'] }).map((e) => e.type)).toEqual(['brokerIsolated', 'networkHealed'])
    expect(errors).toEqual([])
    await page.close()
  })

  it('tells the timeline, filtered by topic, and plays it back step by step', async () => {
    const { page, errors } = await openPage(browser, `${ui.url}#timeline`)
    await page.waitForSelector('#story div')
    await page.select('#story-topic', 'orders')
    await page.waitForFunction(() => [...document.querySelectorAll('#story div')].some((d) => d.textContent!.includes('leader of orders-2 moved')))
    const lines = await page.$$eval('#story div', (ds) => ds.map((d) => d.textContent ?? ''))
    expect(lines.every((l) => !l.includes('payments'))).toBe(true)
    await shoot(page, 'timeline')

    await tab(page, 'playback')
    await page.select('#play-topic', 'orders')
    await page.waitForFunction(() => document.getElementById('play-position')!.textContent!.includes('step 1 of'))
    const steps = Number((await page.$eval('#play-position', (el) => el.textContent!)).match(/of (\d+)/)![1])
    expect(steps).toBeGreaterThan(3)
    await click(page, '#play-next')
    await click(page, '#play-next')
    expect(await page.$eval('#play-position', (el) => el.textContent)).toContain('step 3 of')
    expect(await page.$$eval('#play-view tr', (rows) => rows.length)).toBeGreaterThan(1)
    // Step on to the failure: the instant the leader of orders-2 moved off the stopped broker.
    for (let i = 0; i < steps && !(await page.$eval('#play-lines', (el) => el.textContent)).includes('leader of orders-2 moved'); i++) await click(page, '#play-next')
    const moved = await page.$eval('#play-lines', (el) => el.textContent ?? '')
    const [, from, to] = /leader of orders-2 moved (\d+) -> (\d+)/.exec(moved)!
    const replayed = await page.$$eval('#play-view tr', (rows) => rows.map((r) => r.textContent ?? ''))
    expect(replayed.find((r) => r.startsWith('orders-2'))).toContain(`broker ${to}`)
    // A controlled shutdown: the controller fences the broker and moves its leaderships before it stops.
    expect(await page.$eval('#play-view .cards', (el) => el.textContent)).toMatch(new RegExp(`broker ${from}(fenced|stopped)`))
    await shoot(page, 'playback')
    expect(errors).toEqual([])
    await page.close()
  })
})

describe.skipIf(!chromiumPath)('the console page on a ManualClock', () => {
  it('steps time from the page', async () => {
    const clock = new ManualClock(0)
    const cluster = new Cluster({ brokers: 1, clock })
    const ui = await cluster.console()
    try {
      const { page, errors } = await openPage(browser, ui.url)
      expect(await page.$eval('#clock', (el) => el.textContent)).toContain('ManualClock t=0 ms')
      await click(page, '#clock button[data-advance="1000"]')
      await page.waitForFunction(() => document.getElementById('clock')!.textContent!.includes('t=1000 ms'))
      expect(clock.now()).toBe(1000)
      expect(errors).toEqual([])
    } finally {
      await ui.close()
      await cluster.close()
    }
  })
})
