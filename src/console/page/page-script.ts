/**
 * The console page's script: plain browser JavaScript, kept here as a string so that it ships
 * inside the library's bundle. It builds every node with textContent (never innerHTML), so
 * topic names, keys and values from the cluster cannot inject markup.
 *
 * State comes from /api/live (a snapshot, then deltas); a partition row, a group card or a
 * broker card is redrawn only when its own data changed, and flashes when it does.
 *
 * Its two timers (the story's refresh, playback's pace) are the browser's own (window.*): they
 * pace the page for a person watching, not the cluster, which the page only ever asks.
 */
export const pageScript = String.raw`
'use strict';
(function () {
var state = { cluster: null, topics: new Map(), groups: new Map(), crashed: {}, manualClock: false, topicOrder: [], groupOrder: [] };
var ui = { topicEls: new Map(), groupEls: new Map(), brokerEls: new Map(), expanded: new Set(), recent: new Map() };
var $ = function (id) { return document.getElementById(id); };

function h(tag, attrs) {
  var el = document.createElement(tag);
  if (attrs) for (var k in attrs) {
    var v = attrs[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'class') el.className = v;
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (var i = 2; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(typeof x === 'string' ? document.createTextNode(x) : x); });
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}
function badge(text, cls) { return h('span', { class: 'badge ' + (cls || text), text: text }); }
function flash(el) { el.classList.remove('changed'); void el.offsetWidth; el.classList.add('changed'); }

// ---------------------------------------------------------------------------------------------
// Talking to the console's server

function notice(text, ok) {
  var n = $('notice');
  n.hidden = false;
  n.className = 'notice ' + (ok ? 'ok' : 'error');
  n.textContent = text;
  n.setAttribute('data-kind', ok ? 'ok' : 'error');
}
function act(name, body) {
  return fetch('/api/actions/' + name, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
    .then(function (r) { return r.json(); })
    .then(function (answer) {
      if (!answer.ok) { notice(answer.error + ': ' + answer.message, false); return null; }
      notice(name + ': done ' + JSON.stringify(answer.result).slice(0, 300), true);
      return answer.result;
    }, function (e) { notice('The console cannot be reached: ' + e.message, false); return null; });
}
function getJson(path) {
  return fetch(path).then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.error + ': ' + body.message); return body; }); });
}
function formFields(form) {
  var out = {};
  Array.prototype.forEach.call(form.elements, function (el) { if (el.name) out[el.name] = el.type === 'checkbox' ? el.checked : el.value; });
  return out;
}
function intOrNull(v) { return v === '' || v === undefined ? null : Number(v); }
function parseKeyValues(text) {
  var out = {};
  text.split(/[\n,]/).forEach(function (line) {
    var s = line.trim(); if (!s) return;
    var i = s.indexOf('=');
    if (i < 0) out[s] = ''; else out[s.slice(0, i).trim()] = s.slice(i + 1).trim();
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Live state

function connect() {
  var source = new EventSource('/api/live');
  source.addEventListener('snapshot', function (m) { applySnapshot(JSON.parse(m.data)); });
  source.addEventListener('delta', function (m) { applyDelta(JSON.parse(m.data)); });
  source.onopen = function () { $('connection').textContent = 'live'; $('connection').className = 'connection live'; };
  source.onerror = function () { $('connection').textContent = 'reconnecting…'; $('connection').className = 'connection down'; };
}

function applySnapshot(s) {
  state.cluster = s;
  state.manualClock = s.manualClock;
  state.crashed = s.crashed || {};
  state.topics = new Map(s.topics.map(function (t) { return [t.name, t]; }));
  state.groups = new Map(s.groups.map(function (g) { return [g.groupId, g]; }));
  state.topicOrder = s.topics.map(function (t) { return t.name; });
  state.groupOrder = s.groups.map(function (g) { return g.groupId; });
  ui.topicEls.forEach(function (el) { el.root.remove(); }); ui.topicEls.clear();
  ui.groupEls.forEach(function (el) { el.root.remove(); }); ui.groupEls.clear();
  if (ui.expanded.size === 0) {
    var total = 0; s.topics.forEach(function (t) { total += t.partitions.length; });
    if (total <= 200) s.topics.forEach(function (t) { ui.expanded.add(t.name); });
  }
  renderAll([]);
}

function applyDelta(d) {
  var c = state.cluster; if (!c) return;
  c.time = d.time; c.controllerId = d.controllerId; c.brokers = d.brokers; c.transactions = d.transactions;
  d.events.forEach(function (e) { if (e.type === 'brokerStopped') state.crashed[e.brokerId] = e.crash; });
  var changedTopics = d.topics.map(function (t) { if (!state.topics.has(t.name) && state.topics.size + 1 <= 200) ui.expanded.add(t.name); state.topics.set(t.name, t); return t.name; });
  d.removedTopics.forEach(function (n) { state.topics.delete(n); var el = ui.topicEls.get(n); if (el) el.root.remove(); ui.topicEls.delete(n); });
  var changedGroups = d.groups.map(function (g) { state.groups.set(g.groupId, g); return g.groupId; });
  d.removedGroups.forEach(function (n) { state.groups.delete(n); var el = ui.groupEls.get(n); if (el) el.root.remove(); ui.groupEls.delete(n); });
  state.topicOrder = d.topicOrder; state.groupOrder = d.groupOrder;
  d.events.forEach(function (e) {
    if (e.groupId && /rebalanced|groupStateChanged|memberJoined|memberRemoved/.test(e.type)) {
      var list = ui.recent.get(e.groupId) || []; list.push(e); if (list.length > 4) list.shift(); ui.recent.set(e.groupId, list);
      if (changedGroups.indexOf(e.groupId) < 0) changedGroups.push(e.groupId);
    }
  });
  renderHeader(); renderBrokers(); renderTopics(changedTopics); renderGroups(changedGroups); renderPickers();
  if (d.events.length > 0) storyChanged();
}

function renderAll() {
  renderHeader(); renderBrokers(); renderTopics(null); renderGroups(null); renderPickers();
  document.body.setAttribute('data-ready', 'true');
}

function brokerState(b) {
  if (!b.running) return state.crashed[b.id] ? 'crashed' : 'stopped';
  if (b.isolated) return 'isolated';
  if (!b.alive) return 'fenced';
  return 'up';
}

function renderHeader() {
  var c = state.cluster;
  var under = 0, offline = 0, parts = 0;
  state.topics.forEach(function (t) { t.partitions.forEach(function (p) { parts++; if (p.leader < 0) offline++; else if (p.isr.length < p.replicas.length) under++; }); });
  $('summary').textContent = 'cluster ' + c.clusterId + ' · ' + c.brokers.length + ' brokers · controller ' + c.controllerId + ' · ' + state.topics.size + ' topics · ' + parts + ' partitions · ' + under + ' under-replicated · ' + offline + ' offline · ' + state.groups.size + ' groups';
  var clock = $('clock');
  clock.textContent = (state.manualClock ? 'ManualClock t=' + c.time + ' ms ' : 'time ' + new Date(c.time).toISOString() + ' ');
  if (state.manualClock) [10, 100, 1000, 10000].forEach(function (ms) {
    clock.appendChild(h('button', { 'data-advance': ms, text: '+' + (ms >= 1000 ? ms / 1000 + ' s' : ms + ' ms'), onclick: function () { act('advance', { ms: ms }); } }));
  });
}

// ---------------------------------------------------------------------------------------------
// Brokers

function renderBrokers() {
  var section = $('brokers');
  if (!section.firstChild) {
    section.appendChild(h('h2', { text: 'Brokers' }));
    section.appendChild(h('div', { class: 'cards', id: 'broker-cards' }));
    section.appendChild(h('p', null,
      h('button', { id: 'heal', text: 'Heal the network', onclick: function () { act('heal'); } }), ' ',
      h('button', { id: 'run-cleaner', text: 'Run the cleaner (retention + compaction)', onclick: function () { act('run-cleaner'); } })));
  }
  var cards = $('broker-cards');
  state.cluster.brokers.forEach(function (b) {
    var key = JSON.stringify(b) + brokerState(b);
    var known = ui.brokerEls.get(b.id);
    if (known && known.key === key) return;
    var leads = 0;
    state.topics.forEach(function (t) { t.partitions.forEach(function (p) { if (p.leader === b.id) leads++; }); });
    var s = brokerState(b);
    var card = h('div', { class: 'card broker', 'data-broker': b.id, 'data-state': s },
      h('h3', null, 'broker ' + b.id, badge(s), b.isController ? badge('controller') : null),
      h('div', { class: 'muted', text: b.host + ':' + b.port + (b.rack ? ' · rack ' + b.rack : '') }),
      h('div', { class: 'muted leads', text: 'leads ' + leads + ' partitions' }),
      h('div', null,
        h('button', { 'data-action': 'stop-broker', text: 'stop', onclick: function () { act('stop-broker', { brokerId: b.id }); } }), ' ',
        h('button', { 'data-action': 'crash-broker', class: 'danger', text: 'crash', onclick: function () { act('crash-broker', { brokerId: b.id }); } }), ' ',
        h('button', { 'data-action': 'start-broker', text: 'start', onclick: function () { act('start-broker', { brokerId: b.id }); } }), ' ',
        h('button', { 'data-action': 'isolate-broker', text: 'isolate', onclick: function () { act('isolate-broker', { brokerId: b.id }); } })));
    if (known) { cards.replaceChild(card, known.root); if (known.state !== s) flash(card); } else cards.appendChild(card);
    ui.brokerEls.set(b.id, { root: card, key: key, state: s });
  });
}

// ---------------------------------------------------------------------------------------------
// Topics and partitions

function topicsSection() {
  var section = $('topics');
  if (section.firstChild) return $('topic-list');
  var form = h('form', { class: 'inline', id: 'create-topic' },
    h('label', null, 'name', h('input', { name: 'name', required: true })),
    h('label', null, 'partitions', h('input', { name: 'partitions', type: 'number', placeholder: 'default' })),
    h('label', null, 'replication factor', h('input', { name: 'replicationFactor', type: 'number', placeholder: 'default' })),
    h('label', null, 'configs (key=value, …)', h('input', { name: 'configs', placeholder: 'cleanup.policy=compact' })),
    h('button', { type: 'submit', text: 'Create topic' }));
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var f = formFields(form);
    act('create-topic', { name: f.name, partitions: intOrNull(f.partitions), replicationFactor: intOrNull(f.replicationFactor), configs: parseKeyValues(f.configs) });
  });
  section.appendChild(h('h2', { text: 'Topics' }));
  section.appendChild(form);
  section.appendChild(h('p', { class: 'muted', text: 'Each replica log is a strip from offset 0 to the longest log end: grey is deleted (below the log start), blue is committed (below that replica\'s high watermark), hatched is written but not yet committed (up to its log end); the orange tick is the partition\'s last stable offset. A struck-out replica is out of the ISR.' }));
  section.appendChild(h('div', { id: 'topic-list' }));
  return $('topic-list');
}

function replicaStrips(p) {
  var end = 1;
  p.replicaStates.forEach(function (r) { if (r.logEndOffset > end) end = r.logEndOffset; });
  var pct = function (x) { return Math.max(0, Math.min(100, x / end * 100)) + '%'; };
  return h('div', { class: 'strips' }, p.replicaStates.map(function (r) {
    var bar = h('div', { class: 'bar' },
      h('div', { class: 'deleted', style: 'width:' + pct(r.logStartOffset) }),
      h('div', { class: 'committed', style: 'left:' + pct(r.logStartOffset) + ';width:' + pct(Math.max(0, r.highWatermark - r.logStartOffset)) }),
      h('div', { class: 'uncommitted', style: 'left:' + pct(Math.max(r.highWatermark, r.logStartOffset)) + ';width:' + pct(Math.max(0, r.logEndOffset - Math.max(r.highWatermark, r.logStartOffset))) }),
      r.isLeader ? h('div', { class: 'lso', style: 'left:' + pct(p.lastStableOffset), title: 'LSO ' + p.lastStableOffset }) : null);
    return h('div', { class: 'strip', 'data-replica': r.brokerId },
      h('span', { class: 'who' + (r.inSync ? '' : ' out'), text: 'b' + r.brokerId + (r.isLeader ? ' ★' : '') }),
      bar,
      h('span', { class: 'nums', text: 'start ' + r.logStartOffset + ' · HW ' + r.highWatermark + ' · LEO ' + r.logEndOffset }));
  }));
}

function partitionRow(t, p) {
  var offline = p.leader < 0, under = !offline && p.isr.length < p.replicas.length;
  return h('tr', { class: offline ? 'offline' : under ? 'under' : '', 'data-partition': p.partition, 'data-leader': p.leader, 'data-hw': p.highWatermark, 'data-epoch': p.leaderEpoch },
    h('td', { class: 'num', text: p.partition }),
    h('td', null, offline ? badge('offline') : 'broker ' + p.leader),
    h('td', { class: 'num', text: p.leaderEpoch }),
    h('td', { text: p.replicas.join(',') }),
    h('td', null, p.isr.join(','), under ? badge('under-replicated', 'under') : null),
    h('td', { class: 'num', text: p.logStartOffset }),
    h('td', { class: 'num', text: p.lastStableOffset }),
    h('td', { class: 'num hw', text: p.highWatermark }),
    h('td', { class: 'num', text: p.logEndOffset }),
    h('td', null, replicaStrips(p)));
}

function topicTitle(t) {
  var under = 0, offline = 0;
  t.partitions.forEach(function (p) { if (p.leader < 0) offline++; else if (p.isr.length < p.replicas.length) under++; });
  var configs = Object.keys(t.configs).map(function (k) { return k + '=' + t.configs[k]; }).join(', ');
  var open = ui.expanded.has(t.name);
  return h('div', { class: 'title' },
    h('h3', { text: t.name }),
    h('span', { class: 'muted', text: t.partitions.length + ' partitions · RF ' + (t.partitions[0] ? t.partitions[0].replicas.length : 0) + (configs ? ' · ' + configs : '') }),
    under ? badge(under + ' under-replicated', 'under') : null,
    offline ? badge(offline + ' offline', 'offline') : null,
    h('button', { text: open ? 'hide partitions' : 'show partitions', onclick: function () { if (open) ui.expanded.delete(t.name); else ui.expanded.add(t.name); var el = ui.topicEls.get(t.name); if (el) { el.root.remove(); ui.topicEls.delete(t.name); } renderTopics([t.name]); } }),
    h('button', { text: 'browse messages', onclick: function () { location.hash = '#messages'; $('browse-topic').value = t.name; browseMessages(); } }),
    h('button', { class: 'danger', 'data-action': 'delete-topic', text: 'delete', onclick: function () { if (confirm('Delete topic ' + t.name + '?')) act('delete-topic', { name: t.name }); } }));
}

function renderTopic(name) {
  var list = topicsSection();
  var t = state.topics.get(name); if (!t) return;
  var el = ui.topicEls.get(name);
  if (!el) {
    var tbody = h('tbody');
    var table = ui.expanded.has(name) ? h('table', null, h('thead', null, h('tr', null, ['partition', 'leader', 'epoch', 'replicas', 'ISR', 'log start', 'LSO', 'HW', 'LEO', 'replica logs'].map(function (x) { return h('th', { text: x }); }))), tbody) : null;
    el = { root: h('div', { class: 'card topic', 'data-topic': name }), title: null, tbody: tbody, rows: new Map(), table: table };
    el.title = topicTitle(t);
    el.root.appendChild(el.title);
    if (table) el.root.appendChild(table);
    ui.topicEls.set(name, el);
  } else {
    var title = topicTitle(t); el.root.replaceChild(title, el.title); el.title = title;
  }
  if (el.table) t.partitions.forEach(function (p) {
    var key = JSON.stringify(p);
    var row = el.rows.get(p.partition);
    if (row && row.key === key) return;
    var tr = partitionRow(t, p);
    if (row) { el.tbody.replaceChild(tr, row.tr); flash(tr); } else el.tbody.appendChild(tr);
    el.rows.set(p.partition, { key: key, tr: tr });
  });
  if (el.table) el.rows.forEach(function (row, index) { if (index >= t.partitions.length) { row.tr.remove(); el.rows.delete(index); } });
}

function renderTopics(changed) {
  var list = topicsSection();
  (changed || state.topicOrder).forEach(renderTopic);
  // Keep the topics in name order.
  var previous = null;
  state.topicOrder.forEach(function (name) {
    var el = ui.topicEls.get(name); if (!el) return;
    var want = previous ? previous.nextSibling : list.firstChild;
    if (want !== el.root) list.insertBefore(el.root, want);
    previous = el.root;
  });
}

// ---------------------------------------------------------------------------------------------
// Consumer groups

function groupsSection() {
  var section = $('groups');
  if (section.firstChild) return $('group-list');
  var form = h('form', { class: 'inline', id: 'reset-offsets' },
    h('label', null, 'group', h('input', { name: 'groupId', required: true })),
    h('label', null, 'topic', h('input', { name: 'topic', required: true })),
    h('label', null, 'partition (all if empty)', h('input', { name: 'partition', type: 'number' })),
    h('label', null, 'reset to', h('select', { name: 'to' }, ['earliest', 'latest', 'offset', 'datetime', 'shift'].map(function (x) { return h('option', { value: x, text: x === 'shift' ? 'shift-by' : 'to-' + x }); }))),
    h('label', null, 'offset / shift / datetime', h('input', { name: 'value', placeholder: '42 or -5 or 2024-01-01T00:00' })),
    h('button', { type: 'submit', name: 'preview', value: 'preview', text: 'Preview (--dry-run)' }),
    h('button', { type: 'submit', name: 'execute', value: 'execute', text: 'Execute' }));
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var f = formFields(form);
    var value = f.value;
    if (f.to === 'datetime') value = Date.parse(value);
    act('reset-offsets', { groupId: f.groupId, topic: f.topic, partition: intOrNull(f.partition), to: f.to, value: value === '' ? null : Number(value), execute: e.submitter && e.submitter.value === 'execute' }).then(function (r) {
      var out = $('reset-plan'); out.textContent = '';
      if (!r) return;
      out.appendChild(h('table', null, h('tr', null, ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET'].map(function (x) { return h('th', { text: x }); })),
        r.plan.map(function (p) { return h('tr', null, h('td', { text: r.groupId }), h('td', { text: p.topic }), h('td', { class: 'num', text: p.partition }), h('td', { class: 'num', text: p.currentOffset === null ? '-' : p.currentOffset }), h('td', { class: 'num', text: p.newOffset })); })));
      out.appendChild(h('div', { class: 'muted', text: r.executed ? 'Offsets committed.' : 'Preview only: nothing committed.' }));
    });
  });
  section.appendChild(h('h2', { text: 'Consumer groups' }));
  section.appendChild(h('div', { id: 'group-list', class: 'cards' }));
  section.appendChild(h('h2', { text: 'Reset offsets (as kafka-consumer-groups --reset-offsets)' }));
  section.appendChild(form);
  section.appendChild(h('div', { id: 'reset-plan' }));
  return $('group-list');
}

function renderGroup(id) {
  var list = groupsSection();
  var g = state.groups.get(id); if (!g) return;
  var owned = {};
  g.members.forEach(function (m) { Object.keys(m.assignment).forEach(function (t) { m.assignment[t].forEach(function (p) { owned[t + '-' + p] = m.clientId; }); }); });
  var recent = (ui.recent.get(id) || []).map(function (e) {
    return h('div', { text: e.type === 'rebalanced' ? 'rebalanced: generation ' + e.generationId + ', ' + e.members.length + ' members' : e.type === 'groupStateChanged' ? e.from + ' → ' + e.to : e.type + ' ' + e.memberId });
  });
  var card = h('div', { class: 'card group', 'data-group': id, 'data-state': g.state, 'data-generation': g.generationId },
    h('h3', null, id, badge(g.state), h('span', { class: 'muted', text: ' generation ' + g.generationId + (g.protocol ? ' · ' + g.protocol : '') + ' · coordinator ' + g.coordinator })),
    h('div', null, g.members.length === 0 ? h('div', { class: 'muted', text: 'no members' }) : g.members.map(function (m) {
      var parts = Object.keys(m.assignment).map(function (t) { return t + ' [' + m.assignment[t].join(',') + ']'; }).filter(function (x) { return !/\[\]$/.test(x); });
      return h('div', { class: 'member' }, h('b', { text: m.clientId }), ' ', h('span', { class: 'muted', text: m.memberId.slice(0, 24) + (m.memberId === g.leader ? ' (leader)' : '') }), ' ', parts.length ? parts.join('; ') : badge('idle: no partitions', 'idle'));
    })),
    g.offsets.length ? h('table', null, h('tr', null, ['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER'].map(function (x) { return h('th', { text: x }); })),
      g.offsets.map(function (o) { return h('tr', { 'data-offset': o.topic + '-' + o.partition }, h('td', { text: o.topic }), h('td', { class: 'num', text: o.partition }), h('td', { class: 'num', text: o.committedOffset }), h('td', { class: 'num', text: o.highWatermark }), h('td', { class: 'num lag', text: o.lag === null ? '-' : o.lag }), h('td', { text: owned[o.topic + '-' + o.partition] || '-' })); })) : h('div', { class: 'muted', text: 'no committed offsets' }),
    recent.length ? h('div', { class: 'recent' }, recent) : null);
  var el = ui.groupEls.get(id);
  if (el) { list.replaceChild(card, el.root); flash(card); } else list.appendChild(card);
  ui.groupEls.set(id, { root: card });
}

function renderGroups(changed) {
  groupsSection();
  (changed || state.groupOrder).forEach(renderGroup);
}

// ---------------------------------------------------------------------------------------------
// Filters shared by the timeline and playback

function renderPickers() {
  ['story', 'play'].forEach(function (prefix) {
    fill($(prefix + '-topic'), state.topicOrder, 'any topic');
    fill($(prefix + '-group'), state.groupOrder, 'any group');
    fill($(prefix + '-broker'), state.cluster.brokers.map(function (b) { return String(b.id); }), 'any broker');
  });
  fill($('browse-topic'), state.topicOrder, null);
}
function fill(select, values, any) {
  if (!select) return;
  var want = (any ? [''] : []).concat(values).join('\u0000');
  if (select.getAttribute('data-values') === want) return;
  var current = select.value;
  select.textContent = '';
  if (any) select.appendChild(h('option', { value: '', text: any }));
  values.forEach(function (v) { select.appendChild(h('option', { value: v, text: v })); });
  select.value = current;
  select.setAttribute('data-values', want);
}
function filterQuery(prefix) {
  var q = new URLSearchParams();
  ['topic', 'group', 'broker'].forEach(function (k) { var v = $(prefix + '-' + k).value; if (v) q.set(k, v); });
  return q.toString();
}
function filterForm(prefix, onchange) {
  return h('form', { class: 'inline', onsubmit: function (e) { e.preventDefault(); } },
    h('label', null, 'topic', h('select', { id: prefix + '-topic', onchange: onchange })),
    h('label', null, 'group', h('select', { id: prefix + '-group', onchange: onchange })),
    h('label', null, 'broker', h('select', { id: prefix + '-broker', onchange: onchange })));
}

// ---------------------------------------------------------------------------------------------
// Timeline

var storyTimer = null;
function storyChanged() {
  if (currentTab() !== 'timeline' || storyTimer) return;
  storyTimer = window.setTimeout(function () { storyTimer = null; loadStory(); }, 250);
}
function loadStory() {
  getJson('/api/story?' + filterQuery('story')).then(function (s) {
    var box = $('story');
    box.textContent = '';
    s.lines.forEach(function (l) { box.appendChild(h('div', null, h('span', { class: 't', text: 't=' + (l.time - s.origin) }), l.text)); });
    box.scrollTop = box.scrollHeight;
  }, function (e) { notice(e.message, false); });
}
function buildTimeline() {
  var section = $('timeline');
  section.appendChild(h('h2', { text: 'Timeline' }));
  section.appendChild(filterForm('story', loadStory));
  section.appendChild(h('div', { id: 'story', class: 'story' }));
}

// ---------------------------------------------------------------------------------------------
// Messages: browse, produce, delete records

function bytesOfHex(hex) { var out = new Uint8Array(hex.length / 2); for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16); return out; }
function show(hex, format) {
  if (hex === null) return 'null';
  if (format === 'hex') return hex.replace(/(..)/g, '$1 ').trim();
  var text;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytesOfHex(hex)); } catch (e) { return hex.replace(/(..)/g, '$1 ').trim() + '  (not UTF-8: hex)'; }
  if (format === 'json') { try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text + '  (not JSON)'; } }
  return text;
}
function browseMessages() {
  var f = formFields($('browse'));
  var q = new URLSearchParams({ topic: f.topic, partition: f.partition || '0', limit: f.limit || '50' });
  if (f.from === 'offset' && f.offset !== '') q.set('offset', f.offset);
  if (f.from === 'time' && f.time) q.set('timestamp', String(Date.parse(f.time)));
  getJson('/api/messages?' + q.toString()).then(function (page) {
    var out = $('records'); out.textContent = '';
    out.appendChild(h('div', { class: 'muted', text: page.topic + '-' + page.partition + ' from offset ' + page.startOffset + ' · log start ' + page.logStartOffset + ' · LSO ' + page.lastStableOffset + ' · HW ' + page.highWatermark + ' · ' + page.records.length + ' records' }));
    out.appendChild(h('table', null, h('tr', null, ['offset', 'timestamp', 'epoch', 'key', 'value', 'headers', ''].map(function (x) { return h('th', { text: x }); })),
      page.records.map(function (r) {
        var cls = 'record' + (r.control ? ' control' : '') + (r.transaction === 'aborted' ? ' aborted' : '');
        return h('tr', { class: cls, 'data-offset': r.offset },
          h('td', { class: 'num', text: r.offset }),
          h('td', { text: new Date(r.timestamp).toISOString() }),
          h('td', { class: 'num', text: r.leaderEpoch }),
          h('td', { class: 'data', text: r.control ? '' : show(r.key, f.format) }),
          h('td', { class: 'data', text: r.control ? r.control + ' marker (producer ' + r.producerId + ')' : show(r.value, f.format) + (r.truncated ? ' …(truncated)' : '') }),
          h('td', { class: 'data', text: r.headers.map(function (x) { return x.key + '=' + show(x.value, f.format === 'hex' ? 'hex' : 'text'); }).join('\n') }),
          h('td', null, r.control ? badge('control record', 'controller') : r.transaction ? badge(r.transaction) : null));
      })));
  }, function (e) { notice(e.message, false); });
}
function buildMessages() {
  var section = $('messages');
  section.appendChild(h('h2', { text: 'Message browser' }));
  var browse = h('form', { class: 'inline', id: 'browse' },
    h('label', null, 'topic', h('select', { id: 'browse-topic', name: 'topic' })),
    h('label', null, 'partition', h('input', { name: 'partition', type: 'number', value: '0' })),
    h('label', null, 'from', h('select', { name: 'from' }, h('option', { value: 'offset', text: 'offset' }), h('option', { value: 'time', text: 'time' }))),
    h('label', null, 'offset (empty: earliest)', h('input', { name: 'offset', type: 'number' })),
    h('label', null, 'time', h('input', { name: 'time', type: 'datetime-local', step: '1' })),
    h('label', null, 'limit', h('input', { name: 'limit', type: 'number', value: '50' })),
    h('label', null, 'show as', h('select', { name: 'format' }, ['text', 'json', 'hex'].map(function (x) { return h('option', { value: x, text: x }); }))),
    h('button', { type: 'submit', text: 'Read' }));
  browse.addEventListener('submit', function (e) { e.preventDefault(); browseMessages(); });
  section.appendChild(browse);
  section.appendChild(h('div', { id: 'records' }));

  section.appendChild(h('h2', { text: 'Produce a message' }));
  var produce = h('form', { class: 'inline', id: 'produce' },
    h('label', null, 'topic', h('input', { name: 'topic', required: true })),
    h('label', null, 'partition', h('input', { name: 'partition', type: 'number', value: '0' })),
    h('label', null, 'key', h('input', { name: 'key' })),
    h('label', null, 'value', h('textarea', { name: 'value', rows: '1' })),
    h('label', null, 'headers (key=value, …)', h('input', { name: 'headers' })),
    h('label', null, 'as', h('select', { name: 'encoding' }, h('option', { value: 'text', text: 'text' }), h('option', { value: 'hex', text: 'hex' }))),
    h('label', null, 'acks', h('select', { name: 'acks' }, h('option', { value: '-1', text: 'all' }), h('option', { value: '1', text: '1' }))),
    h('label', null, 'null key', h('input', { name: 'nullKey', type: 'checkbox', checked: true })),
    h('button', { type: 'submit', text: 'Produce' }));
  produce.addEventListener('submit', function (e) {
    e.preventDefault();
    var f = formFields(produce);
    act('produce', { topic: f.topic, partition: intOrNull(f.partition), key: f.nullKey && f.key === '' ? null : f.key, value: f.value, headers: parseKeyValues(f.headers), encoding: f.encoding, acks: Number(f.acks) });
  });
  section.appendChild(produce);

  section.appendChild(h('h2', { text: 'Delete records (below an offset)' }));
  var del = h('form', { class: 'inline', id: 'delete-records' },
    h('label', null, 'topic', h('input', { name: 'topic', required: true })),
    h('label', null, 'partition', h('input', { name: 'partition', type: 'number', value: '0' })),
    h('label', null, 'before offset (-1: the high watermark)', h('input', { name: 'offset', type: 'number', required: true })),
    h('button', { type: 'submit', class: 'danger', text: 'Delete records' }));
  del.addEventListener('submit', function (e) { e.preventDefault(); var f = formFields(del); act('delete-records', { topic: f.topic, partition: intOrNull(f.partition), offset: intOrNull(f.offset) }); });
  section.appendChild(del);
}

// ---------------------------------------------------------------------------------------------
// Playback: the story of a failure, one instant at a time

var play = { steps: [], origin: 0, index: 0, timer: null };
function loadPlayback() {
  getJson('/api/playback?' + filterQuery('play')).then(function (p) {
    play.steps = p.steps; play.origin = p.origin; play.index = 0;
    $('play-slider').max = String(Math.max(0, p.steps.length - 1));
    showStep(0);
  }, function (e) { notice(e.message, false); });
}
function replayUpTo(index) {
  var brokers = {}, parts = {}, groups = {}, touched = new Set();
  for (var i = 0; i <= index && i < play.steps.length; i++) play.steps[i].events.forEach(function (e) {
    var tp = e.topic !== undefined && e.partition !== undefined ? e.topic + '-' + e.partition : null;
    if (i === index) { if (tp) touched.add(tp); if (e.brokerId !== undefined) touched.add('b' + e.brokerId); if (e.groupId) touched.add('g' + e.groupId); }
    switch (e.type) {
      case 'brokerRegistered': case 'brokerStarted': case 'brokerUnfenced': brokers[e.brokerId] = 'up'; break;
      case 'brokerStopped': brokers[e.brokerId] = e.crash ? 'crashed' : 'stopped'; break;
      case 'brokerFenced': if (brokers[e.brokerId] === 'up' || brokers[e.brokerId] === undefined) brokers[e.brokerId] = 'fenced'; break;
      case 'brokerIsolated': brokers[e.brokerId] = 'isolated'; break;
      case 'networkHealed': e.brokerIds.forEach(function (b) { if (brokers[b] === 'isolated') brokers[b] = 'up'; }); break;
      case 'leaderElected': parts[tp] = Object.assign(parts[tp] || {}, { leader: e.leader, epoch: e.leaderEpoch }); break;
      case 'partitionOffline': parts[tp] = Object.assign(parts[tp] || {}, { leader: -1, epoch: e.leaderEpoch, isr: e.isr }); break;
      case 'isrChanged': parts[tp] = Object.assign(parts[tp] || {}, { isr: e.isr }); break;
      case 'truncated': parts[tp] = Object.assign(parts[tp] || {}, { truncated: 'b' + e.brokerId + ' ' + e.from + '→' + e.to }); break;
      case 'produced': parts[tp] = Object.assign(parts[tp] || {}, { written: e.baseOffset + e.count }); break;
      case 'topicDeleted': Object.keys(parts).forEach(function (k) { if (k.lastIndexOf(e.topic + '-', 0) === 0) delete parts[k]; }); break;
      case 'groupStateChanged': groups[e.groupId] = Object.assign(groups[e.groupId] || {}, { state: e.to }); break;
      case 'rebalanced': groups[e.groupId] = Object.assign(groups[e.groupId] || {}, { generation: e.generationId, members: e.members.length }); break;
    }
  });
  return { brokers: brokers, parts: parts, groups: groups, touched: touched };
}
function showStep(index) {
  play.index = Math.max(0, Math.min(index, play.steps.length - 1));
  $('play-slider').value = String(play.index);
  var step = play.steps[play.index];
  var lines = $('play-lines'); lines.textContent = '';
  if (!step) { lines.textContent = 'Nothing happened yet.'; return; }
  $('play-position').textContent = 'step ' + (play.index + 1) + ' of ' + play.steps.length + ' · t=' + (step.time - play.origin) + ' ms';
  step.lines.forEach(function (l) { lines.appendChild(h('div', { text: l })); });
  var s = replayUpTo(play.index);
  var view = $('play-view'); view.textContent = '';
  view.appendChild(h('div', { class: 'cards' }, Object.keys(s.brokers).map(function (b) {
    var card = h('div', { class: 'card broker' }, 'broker ' + b, badge(s.brokers[b]));
    if (s.touched.has('b' + b)) card.classList.add('changed');
    return card;
  })));
  var rows = Object.keys(s.parts).sort().map(function (tp) {
    var p = s.parts[tp];
    var tr = h('tr', { class: p.leader === -1 ? 'offline' : '' }, h('td', { text: tp }), h('td', { text: p.leader === undefined ? '?' : p.leader === -1 ? 'none (offline)' : 'broker ' + p.leader }), h('td', { class: 'num', text: p.epoch === undefined ? '?' : p.epoch }), h('td', { text: p.isr ? p.isr.join(',') : 'all replicas' }), h('td', { class: 'num', text: p.written === undefined ? '' : p.written }), h('td', { text: p.truncated || '' }));
    if (s.touched.has(tp)) tr.classList.add('changed');
    return tr;
  });
  view.appendChild(h('table', null, h('tr', null, ['partition', 'leader', 'epoch', 'ISR', 'written up to', 'last truncation'].map(function (x) { return h('th', { text: x }); })), rows));
  var groupRows = Object.keys(s.groups).map(function (g) { var x = s.groups[g]; return h('div', { class: s.touched.has('g' + g) ? 'changed' : '' }, 'group ' + g + ': ', badge(x.state || '?'), ' generation ' + (x.generation === undefined ? '?' : x.generation) + (x.members === undefined ? '' : ', ' + x.members + ' members')); });
  view.appendChild(h('div', null, groupRows));
}
function buildPlayback() {
  var section = $('playback');
  section.appendChild(h('h2', { text: 'Playback: the story, one instant at a time' }));
  section.appendChild(filterForm('play', loadPlayback));
  section.appendChild(h('div', { class: 'inline' },
    h('button', { text: 'first', title: 'the first instant', onclick: function () { showStep(0); } }), ' ',
    h('button', { id: 'play-prev', text: '◀ step', onclick: function () { showStep(play.index - 1); } }), ' ',
    h('button', { id: 'play-next', text: 'step ▶', onclick: function () { showStep(play.index + 1); } }), ' ',
    h('button', { id: 'play-run', text: 'play', onclick: function () {
      if (play.timer) { clearInterval(play.timer); play.timer = null; return; }
      play.timer = window.setInterval(function () { if (play.index >= play.steps.length - 1) { clearInterval(play.timer); play.timer = null; } else showStep(play.index + 1); }, 700);
    } }), ' ',
    h('button', { text: 'reload', onclick: loadPlayback }), ' ',
    h('input', { id: 'play-slider', type: 'range', min: '0', max: '0', value: '0', style: 'width:40%', oninput: function (e) { showStep(Number(e.target.value)); } }), ' ',
    h('span', { id: 'play-position', class: 'muted' })));
  section.appendChild(h('div', { id: 'play-lines', class: 'step-lines' }));
  section.appendChild(h('div', { id: 'play-view' }));
}

// ---------------------------------------------------------------------------------------------
// Tabs

function currentTab() { return (location.hash || '#brokers').slice(1); }
function showTab() {
  var tab = currentTab();
  Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (s) { s.classList.toggle('active', s.id === tab); });
  Array.prototype.forEach.call(document.querySelectorAll('nav a'), function (a) { a.classList.toggle('active', a.getAttribute('data-tab') === tab); });
  if (tab === 'timeline') loadStory();
  if (tab === 'playback') loadPlayback();
}

buildTimeline(); buildMessages(); buildPlayback();
window.addEventListener('hashchange', showTab);
showTab();
connect();
})();
`
