// The live dashboard: GET api/v1/nodes once, then Server-Sent Events (api/v1/events); polling when they fail.
// Every string from etcd is put into the page as text (textContent), never as HTML.
(function () {
  'use strict';
  const MAX_ROWS = 500;            // rows in the DOM at once: 10,000 nodes are filtered and sorted in memory
  const ORDER = { DEAD: 0, MISSING: 1, UNKNOWN: 2, LEFT: 3, ALIVE: 4 };
  const nodes = new Map();
  let revision = 0, etcdOk = true, sortKey = 'default', sortDesc = false, filterText = '', filterState = '';
  let dirty = true, es = null, pollTimer = null, streamDownSince = null;
  const $ = (id) => document.getElementById(id);

  function now() { return Date.now() / 1000; }
  function age(s) {
    if (s == null || !isFinite(s)) return '-';
    let d = Math.max(0, now() - s);
    if (d < 60) return d.toFixed(1) + 's ago';
    if (d < 3600) return Math.floor(d / 60) + 'm' + Math.floor(d % 60) + 's ago';
    if (d < 86400) return Math.floor(d / 3600) + 'h' + Math.floor(d % 3600 / 60) + 'm ago';
    return Math.floor(d / 86400) + 'd' + Math.floor(d % 86400 / 3600) + 'h ago';
  }
  function num(x) { return typeof x === 'number' && isFinite(x) ? x : null; }
  function cpu(n) { const m = n.metrics; return m && m.cpu ? num(m.cpu.usage_ratio) : null; }
  function mem(n) {
    const m = n.metrics && n.metrics.memory;
    return m && num(m.total_bytes) > 0 && num(m.available_bytes) != null ? 1 - m.available_bytes / m.total_bytes : null;
  }
  function disk(n) {
    const d = n.metrics && n.metrics.disk;
    let worst = null, mount = null;
    if (d && typeof d === 'object') {
      for (const k of Object.keys(d)) {
        const fs = d[k];
        if (fs && num(fs.size_bytes) > 0 && num(fs.avail_bytes) != null) {
          const used = 1 - fs.avail_bytes / fs.size_bytes;
          if (worst == null || used > worst) { worst = used; mount = k; }
        }
      }
    }
    return { used: worst, mount: mount };
  }
  function configText(n) {
    const c = n.config || {};
    if (c.rejected_revision != null && c.rejected_revision === c.desired_revision && c.desired_revision) {
      return { text: 'rev ' + c.desired_revision + ' REJECTED: ' + (c.rejected_reason || ''), cls: 'rejected' };
    }
    if (!c.desired_revision) {
      return { text: c.applied_revision === 0 ? 'default' : (c.applied_revision ? 'applied ' + c.applied_revision : '-'), cls: '' };
    }
    if (c.applied_revision == null) return { text: 'rev ' + c.desired_revision + ' (no agent status)', cls: 'pending' };
    if (c.applied_revision >= c.desired_revision) return { text: 'rev ' + c.desired_revision + ' applied', cls: '' };
    return { text: 'rev ' + c.desired_revision + ' pending (applied ' + c.applied_revision + ')', cls: 'pending' };
  }

  function bar(ratio, title) {
    const td = document.createElement('td');
    if (ratio == null) { td.textContent = '-'; return td; }
    const b = document.createElement('div'); b.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = Math.min(100, Math.max(0, ratio * 100)).toFixed(1) + '%';
    if (ratio > 0.9) fill.className = 'high';
    const label = document.createElement('em'); label.textContent = (ratio * 100).toFixed(0) + '%';
    b.append(fill, label); td.append(b);
    if (title) td.title = title;
    return td;
  }
  function cell(text, cls, title) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    if (title) td.title = title;
    return td;
  }
  function row(n) {
    const tr = document.createElement('tr');
    tr.dataset.node = n.node; tr.dataset.state = n.state; tr.className = n.state;
    const c = configText(n), d = disk(n);
    tr.append(cell(n.node, '', n.node), cell(n.state, 'state'),
      cell(age(n.since), 'age', n.since ? new Date(n.since * 1000).toISOString() : ''),
      cell(age(n.last_heartbeat), 'age hb', n.last_heartbeat ? new Date(n.last_heartbeat * 1000).toISOString() : ''),
      cell(c.text, c.cls, c.text), bar(cpu(n)), bar(mem(n)),
      bar(d.used, d.mount ? 'fullest: ' + d.mount : ''));
    tr._since = n.since; tr._hb = n.last_heartbeat;
    return tr;
  }

  function sortValue(n, key) {
    switch (key) {
      case 'node': return n.node;
      case 'state': return ORDER[n.state] != null ? ORDER[n.state] : 9;
      case 'since': return n.since || 0;
      case 'heartbeat': return n.last_heartbeat || 0;
      case 'config': return configText(n).text;
      case 'cpu': return cpu(n) == null ? -1 : cpu(n);
      case 'memory': return mem(n) == null ? -1 : mem(n);
      case 'disk': return disk(n).used == null ? -1 : disk(n).used;
      default: return 0;
    }
  }
  function compare(a, b) {
    if (sortKey === 'default') {
      const sa = ORDER[a.state] != null ? ORDER[a.state] : 9, sb = ORDER[b.state] != null ? ORDER[b.state] : 9;
      return sa - sb || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
    }
    const x = sortValue(a, sortKey), y = sortValue(b, sortKey);
    const r = x < y ? -1 : x > y ? 1 : (a.node < b.node ? -1 : 1);
    return sortDesc ? -r : r;
  }

  function render() {
    if (!dirty) return;
    dirty = false;
    const counts = { ALIVE: 0, DEAD: 0, MISSING: 0, LEFT: 0, UNKNOWN: 0 };
    const shown = [];
    for (const n of nodes.values()) {
      if (counts[n.state] != null) counts[n.state]++;
      if (filterState && n.state !== filterState) continue;
      if (filterText && n.node.toLowerCase().indexOf(filterText) < 0) continue;
      shown.push(n);
    }
    shown.sort(compare);
    const frag = document.createDocumentFragment();
    for (let i = 0; i < shown.length && i < MAX_ROWS; i++) frag.append(row(shown[i]));
    $('nodes').replaceChildren(frag);
    for (const k of Object.keys(counts)) $('count-' + k).textContent = counts[k];
    $('revision').textContent = revision;
    $('shown').textContent = shown.length > MAX_ROWS
      ? 'showing ' + MAX_ROWS + ' of ' + shown.length + ' matching nodes (' + nodes.size + ' in all): filter to narrow'
      : shown.length + ' of ' + nodes.size + ' nodes';
    $('etcd-banner').hidden = etcdOk;
    document.body.dataset.ready = '1';
  }
  function schedule() { dirty = true; requestAnimationFrame(render); }

  function tickAges() {
    for (const tr of $('nodes').children) {
      tr.children[2].textContent = age(tr._since);
      tr.children[3].textContent = age(tr._hb);
    }
  }

  function feedItem(t) {
    const li = document.createElement('li');
    const time = document.createElement('span'); time.className = 't';
    time.textContent = String(t.time || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const node = document.createElement('b'); node.textContent = t.node;
    const state = document.createElement('span'); state.className = 's ' + t.state; state.textContent = t.state;
    const why = document.createElement('span'); why.textContent = '(' + t.reason + ')';
    li.append(time, node, state, why);
    return li;
  }
  function addTransition(t) {
    const feed = $('feed');
    feed.prepend(feedItem(t));
    while (feed.children.length > 50) feed.lastChild.remove();
  }

  function load() {
    return fetch('api/v1/nodes', { cache: 'no-store' }).then((r) => r.json()).then((j) => {
      nodes.clear();
      for (const n of j.nodes) nodes.set(n.node, n);
      revision = j.revision; etcdOk = j.etcd === 'ok';
      schedule();
    });
  }
  function loadFeed() {
    return fetch('api/v1/transitions?limit=50', { cache: 'no-store' }).then((r) => r.json()).then((j) => {
      $('feed').replaceChildren(...j.transitions.map(feedItem));
    });
  }

  function startPolling() {
    if (pollTimer) return;
    $('stream-banner').hidden = false;
    pollTimer = setInterval(() => { load().catch(() => {}); loadFeed().catch(() => {}); }, 2000);
  }
  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    $('stream-banner').hidden = true;
  }
  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    es = new EventSource('api/v1/events');
    es.onopen = () => {
      streamDownSince = null; stopPolling();
      $('live').textContent = 'live'; $('live').className = 'live on';
      load().catch(() => {}); loadFeed().catch(() => {});   // resync after (re)connecting
    };
    es.onerror = () => {
      $('live').textContent = 'reconnecting'; $('live').className = 'live';
      if (streamDownSince == null) streamDownSince = Date.now();
      setTimeout(() => { if (streamDownSince != null && Date.now() - streamDownSince >= 5000) startPolling(); }, 5100);
    };
    es.addEventListener('transition', (e) => { addTransition(JSON.parse(e.data)); });
    es.addEventListener('nodes', (e) => {
      const j = JSON.parse(e.data);
      for (const n of j.nodes) nodes.set(n.node, n);
      for (const name of j.removed) nodes.delete(name);
      revision = Math.max(revision, j.revision);
      schedule();
    });
    es.addEventListener('etcd', (e) => { etcdOk = JSON.parse(e.data).etcd === 'ok'; schedule(); });
  }

  $('filter').addEventListener('input', (e) => { filterText = e.target.value.trim().toLowerCase(); schedule(); });
  for (const b of document.querySelectorAll('#state-filter button')) {
    b.addEventListener('click', () => {
      for (const o of document.querySelectorAll('#state-filter button')) o.classList.toggle('on', o === b);
      filterState = b.dataset.state; schedule();
    });
  }
  for (const th of document.querySelectorAll('th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort;
      sortDesc = sortKey === key ? !sortDesc : false;
      sortKey = key;
      for (const o of document.querySelectorAll('th')) o.classList.remove('sorted', 'desc');
      th.classList.add('sorted'); if (sortDesc) th.classList.add('desc');
      schedule();
    });
  }
  load().catch(() => startPolling()).finally(() => { loadFeed().catch(() => {}); connect(); });
  setInterval(tickAges, 1000);
})();
