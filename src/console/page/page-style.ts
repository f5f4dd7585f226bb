/** The console page's style sheet. Replica logs are drawn as CSS strips (page-script.ts). */
export const pageStyle = `
:root { --bg: #f7f7f5; --fg: #1d232a; --muted: #6b7280; --line: #d9dbe0; --ok: #15803d; --warn: #b45309; --bad: #b91c1c;
  --committed: #2563eb; --uncommitted: #93c5fd; --deleted: #e5e7eb; --accent: #7c3aed; font-family: system-ui, sans-serif; }
body { margin: 0; background: var(--bg); color: var(--fg); font-size: 14px; }
header { display: flex; gap: 1.5rem; align-items: baseline; padding: .6rem 1rem; background: #111827; color: #f9fafb; flex-wrap: wrap; }
h1 { font-size: 1.2rem; margin: 0; } .thin { font-weight: 300; }
h2 { font-size: 1.05rem; margin: 1rem 0 .5rem; } h3 { font-size: .95rem; margin: .2rem 0; }
.summary, .clock, .connection { font-size: .85rem; }
.connection.live { color: #86efac; } .connection.down { color: #fca5a5; }
nav { display: flex; gap: .2rem; padding: 0 1rem; background: #1f2937; }
nav a { color: #d1d5db; padding: .45rem .8rem; text-decoration: none; }
nav a.active { background: var(--bg); color: var(--fg); border-radius: 4px 4px 0 0; }
main { padding: .5rem 1rem 2rem; }
.tab { display: none; } .tab.active { display: block; }
.notice { margin: .5rem 1rem 0; padding: .5rem .8rem; border-radius: 4px; }
.notice.error { background: #fee2e2; color: var(--bad); border: 1px solid #fca5a5; }
.notice.ok { background: #dcfce7; color: var(--ok); border: 1px solid #86efac; }
.cards { display: flex; flex-wrap: wrap; gap: .7rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.broker { min-width: 11rem; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 9px; font-size: .75rem; font-weight: 600; background: #e5e7eb; color: #374151; margin-left: .3rem; }
.badge.up, .badge.Stable, .badge.committed { background: #dcfce7; color: var(--ok); }
.badge.crashed, .badge.offline, .badge.aborted, .badge.Dead { background: #fee2e2; color: var(--bad); }
.badge.stopped, .badge.fenced, .badge.isolated, .badge.under, .badge.PreparingRebalance, .badge.CompletingRebalance, .badge.open { background: #fef3c7; color: var(--warn); }
.badge.controller, .badge.leader { background: #ede9fe; color: var(--accent); }
button { font: inherit; font-size: .8rem; padding: .15rem .5rem; border: 1px solid #9ca3af; background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { background: #f3f4f6; } button.danger { color: var(--bad); border-color: #fca5a5; }
form.inline { display: flex; flex-wrap: wrap; gap: .4rem; align-items: end; margin: .4rem 0; }
form.inline label { display: flex; flex-direction: column; font-size: .75rem; color: var(--muted); }
input, select, textarea { font: inherit; font-size: .85rem; padding: .15rem .3rem; border: 1px solid #9ca3af; border-radius: 3px; }
input[type=number] { width: 5rem; }
table { border-collapse: collapse; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; font-size: .82rem; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.topic { margin-bottom: .8rem; }
.topic > .title { display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; }
.muted { color: var(--muted); }
.strips { display: flex; flex-direction: column; gap: 3px; min-width: 22rem; }
.strip { display: flex; align-items: center; gap: .4rem; font-size: .72rem; }
.strip .who { width: 3.2rem; } .strip .who.out { color: var(--bad); text-decoration: line-through; }
.bar { position: relative; height: 12px; flex: 1; min-width: 14rem; background: #fff; border: 1px solid var(--line); border-radius: 2px; overflow: hidden; }
.bar .deleted { position: absolute; top: 0; bottom: 0; left: 0; background: var(--deleted); }
.bar .committed { position: absolute; top: 0; bottom: 0; background: var(--committed); }
.bar .uncommitted { position: absolute; top: 0; bottom: 0; background: repeating-linear-gradient(45deg, var(--uncommitted), var(--uncommitted) 3px, #dbeafe 3px, #dbeafe 6px); }
.bar .lso { position: absolute; top: -1px; bottom: -1px; width: 2px; background: #f59e0b; }
.strip .nums { width: 15rem; font-variant-numeric: tabular-nums; color: #374151; }
tr.changed, .changed { animation: flash 1s ease-out; }
@keyframes flash { from { background: #fef9c3; } to { background: transparent; } }
tr.offline td { background: #fef2f2; } tr.under td:first-child { border-left: 3px solid var(--warn); }
.story { font-family: ui-monospace, monospace; font-size: .8rem; background: #fff; border: 1px solid var(--line); padding: .5rem; max-height: 70vh; overflow: auto; }
.story div { white-space: pre-wrap; } .story .t { color: var(--muted); display: inline-block; min-width: 6rem; }
.record.control td { background: #f5f3ff; color: var(--accent); font-style: italic; }
.record.aborted td { background: #fef2f2; text-decoration: line-through; color: #9f1239; }
.record td.data { font-family: ui-monospace, monospace; max-width: 32rem; white-space: pre-wrap; word-break: break-all; }
.member { margin: .2rem 0; }
.recent { font-size: .75rem; color: var(--muted); }
.step-lines { font-family: ui-monospace, monospace; font-size: .82rem; background: #fff; border: 1px solid var(--line); padding: .5rem; min-height: 3rem; }
`
