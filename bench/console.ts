/**
 * The web console at size (DESIGN.md: "the page reflects a change within 100 ms at 1 000
 * partitions; no cost when closed"). Run: `npx tsx bench/console.ts` (needs Chromium; see
 * test/console/browser/chromium.ts).
 *
 * A 3-broker cluster with 10 topics of 100 partitions (RF 3) and 20 consumer groups holding
 * offsets on them. Measured:
 * - page latency: in the page, from just before it posts a produce (to one partition of a topic
 *   shown expanded) to the moment that partition's row shows the new high watermark, as a
 *   MutationObserver sees it (so the produce round trip is included); median and p95 of 40.
 * - tick cost: the server's describe-compare-send per tick while a page is open (median).
 * - closed cost: ticks run and timeline listeners while no page is open (must be 0).
 */
import { Cluster } from '../src/index.js'
import { chromiumPath, launchChromium, openPage } from '../test/console/browser/chromium.js'

declare const document: any

const SAMPLES = 40

/** The page-side measurement for one partition, as source the page evaluates. */
function measureInPage(partition: number): string {
  return `(async () => {
    const row = () => document.querySelector('[data-topic="t0"] tr[data-partition="${partition}"]')
    const want = Number(row().getAttribute('data-hw')) + 1
    const tbody = document.querySelector('[data-topic="t0"] tbody')
    const start = performance.now()
    const seen = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (Number(row().getAttribute('data-hw')) >= want) { observer.disconnect(); resolve(performance.now() - start) }
      })
      observer.observe(tbody, { childList: true, subtree: true, attributes: true })
    })
    const posted = fetch('/api/actions/produce', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: 't0', partition: ${partition}, value: 'x' }) }).then(() => performance.now() - start)
    return Promise.all([seen, posted])
  })()`
}

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!

async function main(): Promise<void> {
  if (!chromiumPath) throw new Error('bench/console.ts needs Chromium: apt-get install -y chromium')
  // The small cluster is the baseline: what the same round trip costs when there is little to compare.
  await measure(1, 10, 1)
  await measure(10, 100, 20)
}

async function measure(TOPICS: number, PARTITIONS: number, GROUPS: number): Promise<void> {
  const cluster = new Cluster({ brokers: 3 })
  const admin = cluster.kafka().admin()
  await admin.createTopics({ topics: Array.from({ length: TOPICS }, (_, i) => ({ topic: `t${i}`, numPartitions: PARTITIONS, replicationFactor: 3 })) })
  for (let g = 0; g < GROUPS; g++) {
    await admin.setOffsets({ groupId: `group-${g}`, topic: `t${g % TOPICS}`, partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: '0' })) })
  }
  const ui = await cluster.console()
  const closed = { ticks: ui.stats.ticks }

  const browser = await launchChromium()
  try {
    const { page, errors } = await openPage(browser, `${ui.url}#topics`)
    await page.waitForSelector('[data-topic="t0"]')
    // Above 200 partitions in all, topics start folded: unfold the one measured.
    await page.evaluate(`[...document.querySelectorAll('[data-topic="t0"] .title button')].find((b) => b.textContent === 'show partitions')?.click()`)
    await page.waitForSelector(`[data-topic="t0"] tr[data-partition="${PARTITIONS - 1}"]`)
    const latencies: number[] = []
    const acks: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const partition = (i * 7) % PARTITIONS
      if (PARTITIONS < 100 && i === 0) await page.waitForSelector(`[data-topic="t0"] tr[data-partition="${PARTITIONS - 1}"]`)
      // A string, not a function: tsx would add its __name helper, which the page lacks.
      const [ms, acked] = (await page.evaluate(measureInPage(partition))) as [number, number]
      acks.push(acked)
      latencies.push(ms)
    }
    const ticks: number[] = []
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 60))
      ticks.push(ui.stats.lastTickMs)
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`)
    await page.close()
    await new Promise((r) => setTimeout(r, 200))
    const afterClose = ui.stats.ticks
    await new Promise((r) => setTimeout(r, 300))
    console.log(`console at ${TOPICS * PARTITIONS} partitions, ${GROUPS} groups (target: page within 100 ms of a change)`)
    console.log(`  page latency (produce posted -> row shows the new HW): median ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`)
    console.log(`  the produce's own answer (acks=all) reached the page after: median ${quantile(acks, 0.5).toFixed(1)} ms`)
    console.log(`  server tick (describe + compare + send) with a page open: median ${quantile(ticks, 0.5).toFixed(2)} ms`)
    console.log(`  with no page open: ${closed.ticks} ticks before the first page; ${ui.stats.ticks - afterClose} ticks in 300 ms after the last page closed; pages open: ${ui.stats.clients}`)
  } finally {
    await browser.close()
    await ui.close()
    await cluster.close()
  }
}

await main()
