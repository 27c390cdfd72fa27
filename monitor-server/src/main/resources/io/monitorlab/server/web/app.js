// The live dashboard: a snapshot from api/v1/nodes, then Server-Sent Events (api/v1/events); polling every
// 2 s while the stream is down. Built for 10,000 nodes: each node's derived values (bars, config text, sort
// keys) are computed once when its data arrives; filtering and sorting work on those records in memory; the
// table holds only the rows in view (windowed scrolling over a pool of reused <tr>), and every change is
// drawn at most once per animation frame.
// Node names and every other string come from etcd keys that anybody can write: they reach the page only
// through textContent, title and dataset, never as HTML.
(function () {
  'use strict';

  var STATES = ['ALIVE', 'DEAD', 'MISSING', 'LEFT', 'UNKNOWN'];
  var RANK = { DEAD: 0, MISSING: 1, UNKNOWN: 2, LEFT: 3, ALIVE: 4 };   // default order: trouble first
  var OVERSCAN = 8;                 // rows drawn above and below the visible ones
  var FEED_MAX = 50;
  var POLL_MS = 2000;
  var STREAM_GRACE_MS = 5000;       // the stream may be down this long before polling starts
  var BANNER_GRACE_MS = 1500;       // a reconnect shorter than this shows no banner

  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  // ---- state ----------------------------------------------------------------------------------------
  var records = new Map();          // node name -> record (see ingest)
  var view = [];                    // records that pass the filters, sorted
  var counts = {};
  var revision = null;
  var etcdOk = true;
  var skew = 0;                     // server clock - browser clock, seconds (from generated_at)
  var filterText = '';
  var filterState = '';
  var sortKey = '';                 // '' = default order
  var sortDesc = false;
  var selected = null;              // node name shown in the detail panel
  var verSeq = 0;

  var viewDirty = true, paintDirty = true, countsDirty = true, frameAsked = false;
  var ready = false;
  var rowH = 27;                    // measured after the first rows are drawn
  var pool = [];                    // <tr> elements in use, in order
  var spacerTop, spacerBottom;
  var feedPending = [];             // transitions not drawn yet, oldest first
  var feedKeys = new Set();

  // ---- formatting -----------------------------------------------------------------------------------
  function num(x) { return typeof x === 'number' && isFinite(x) ? x : null; }
  function serverNow() { return Date.now() / 1000 + skew; }
  function pct(r) { return r == null ? '' : Math.round(r * 100) + '%'; }
  function bytes(n) {
    if (num(n) == null) return '?';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 || n >= 100 ? n.toFixed(0) : n.toFixed(1)) + ' ' + u[i];
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function localTime(d) {
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' +
      pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  // Tooltips: local time and UTC. The detail panel: local time and age.
  function absTime(ts) {
    if (num(ts) == null) return '';
    var d = new Date(ts * 1000);
    return localTime(d) + ' local (' + d.toISOString().replace(/\.\d+Z$/, 'Z') + ')';
  }
  function whenText(ts) { return num(ts) == null ? '' : localTime(new Date(ts * 1000)) + ' (' + ago(ts, true) + ')'; }
  function ago(ts, fine) {
    if (num(ts) == null) return '–';
    var s = Math.max(0, serverNow() - ts);
    if (s < (fine ? 120 : 60)) return Math.floor(s) + 's ago';
    var m = Math.floor(s / 60);
    if (m < 60) return fine ? m + 'm ' + Math.floor(s % 60) + 's ago' : m + 'm ago';
    var h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm ago';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h ago';
  }
  // "worker2" before "worker10": digit runs are compared as numbers.
  function naturalKey(name) {
    return name.toLowerCase().replace(/\d+/g, function (d) {
      d = d.replace(/^0+(?=\d)/, '');
      return String.fromCharCode(48 + Math.min(d.length, 40)) + d;
    });
  }

  // ---- derived values: what sorting needs is computed once per update of a node; the texts of
  // tooltips and of the detail panel only for the rows drawn (10,000 date formats would cost the first paint).
  function memory(m) {
    var x = m && m.memory;
    return x && num(x.total_bytes) > 0 && num(x.available_bytes) != null ? 1 - x.available_bytes / x.total_bytes : null;
  }
  function memoryText(m) {
    var x = m.memory;
    return 'used ' + bytes(x.total_bytes - x.available_bytes) + ' of ' + bytes(x.total_bytes);
  }
  function usable(fs) { return fs && num(fs.size_bytes) > 0 && num(fs.avail_bytes) != null; }
  function disk(m) {
    var d = m && m.disk, worst = null;
    if (!d || typeof d !== 'object') return null;
    for (var mount in d) {
      var fs = d[mount];
      if (!usable(fs)) continue;
      var used = 1 - fs.avail_bytes / fs.size_bytes;
      if (worst == null || used > worst) worst = used;
    }
    return worst;
  }
  function diskText(m) {
    return Object.keys(m.disk).sort().filter(function (k) { return usable(m.disk[k]); }).map(function (mount) {
      var fs = m.disk[mount];
      return mount + '  ' + pct(1 - fs.avail_bytes / fs.size_bytes) + ' used, ' + bytes(fs.avail_bytes) + ' free of ' +
        bytes(fs.size_bytes);
    }).join('\n');
  }
  function config(c) {
    c = c || {};
    var desired = num(c.desired_revision) || 0, applied = num(c.applied_revision), rejected = num(c.rejected_revision);
    if (rejected != null && desired && rejected >= desired) {
      return { text: 'rev ' + rejected + ' REJECTED: ' + (c.rejected_reason || 'no reason given'), cls: 'cfg-rejected', key: 0 };
    }
    if (!desired) {
      return applied == null || applied === 0 ? { text: 'default', cls: 'cfg-default', key: 3 }
        : { text: 'default pending (applied ' + applied + ')', cls: 'cfg-pending', key: 1 };
    }
    if (applied == null) return { text: 'rev ' + desired + ' (no status from agent)', cls: 'cfg-pending', key: 1 };
    if (applied >= desired) return { text: 'rev ' + desired + ' applied', cls: 'cfg-ok', key: 2 };
    return { text: 'rev ' + desired + ' pending (applied ' + applied + ')', cls: 'cfg-pending', key: 1 };
  }
  function configText(r) {
    var c = r.n.config || {}, extra = [];
    if (num(c.interval) != null) extra.push('interval ' + c.interval + ' s');
    if (Array.isArray(c.metrics)) extra.push('metrics: ' + (c.metrics.length ? c.metrics.join(', ') : 'none'));
    if (num(c.applied_at) != null) extra.push('applied at ' + absTime(c.applied_at));
    if (num(c.rejected_revision) != null && r.cfg.key !== 0) {
      extra.push('last rejected rev ' + c.rejected_revision + ': ' + (c.rejected_reason || ''));
    }
    return r.cfg.text + (extra.length ? '\n' + extra.join('\n') : '');
  }

  function ingest(n) {
    if (!n || n.node == null) return;
    var name = String(n.node), m = n.metrics && typeof n.metrics === 'object' ? n.metrics : null;
    var state = RANK[n.state] != null ? n.state : 'UNKNOWN';
    records.set(name, {
      n: n, m: m, name: name, lname: name.toLowerCase(), nkey: naturalKey(name), state: state, rank: RANK[state],
      since: num(n.since), hb: num(n.last_heartbeat), cpu: m && m.cpu ? num(m.cpu.usage_ratio) : null,
      mem: memory(m), disk: disk(m), cfg: config(n.config), ver: ++verSeq
    });
  }

  // ---- filtering and sorting ------------------------------------------------------------------------
  function cmpName(a, b) { return a.nkey < b.nkey ? -1 : a.nkey > b.nkey ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }
  function value(r) {
    switch (sortKey) {
      case 'node': return null;
      case 'state': return r.rank;
      case 'since': return r.since;
      case 'heartbeat': return r.hb;
      case 'config': return r.cfg.key;
      case 'cpu': return r.cpu;
      case 'memory': return r.mem;
      case 'disk': return r.disk;
    }
    return null;
  }
  function comparator() {
    if (!sortKey) return function (a, b) { return a.rank - b.rank || cmpName(a, b); };
    var dir = sortDesc ? -1 : 1;
    if (sortKey === 'node') return function (a, b) { return dir * cmpName(a, b); };
    return function (a, b) {
      var x = a._v, y = b._v;
      if (x == null || y == null) return x == null && y == null ? cmpName(a, b) : x == null ? 1 : -1;  // blanks last
      return x < y ? -dir : x > y ? dir : cmpName(a, b);
    };
  }
  function recompute() {
    var c = {}, out = [], ft = filterText, fs = filterState, keyed = sortKey && sortKey !== 'node';
    STATES.forEach(function (s) { c[s] = 0; });
    records.forEach(function (r) {
      c[r.state]++;
      if (fs && r.state !== fs) return;
      if (ft && r.lname.indexOf(ft) < 0) return;
      if (keyed) r._v = value(r);
      out.push(r);
    });
    out.sort(comparator());
    view = out;
    counts = c;
  }

  // ---- drawing --------------------------------------------------------------------------------------
  function schedule(what) {
    if (what === 'view') viewDirty = true;
    countsDirty = countsDirty || what === 'view';
    paintDirty = true;
    if (!frameAsked) { frameAsked = true; requestAnimationFrame(frame); }
  }
  function frame() {
    frameAsked = false;
    if (viewDirty) { viewDirty = false; recompute(); }
    if (countsDirty) { countsDirty = false; drawCounts(); }
    if (paintDirty) { paintDirty = false; paint(); }
    drawFeed();
    drawDetail(false);
  }

  function drawCounts() {
    STATES.forEach(function (s) { $('count-' + s).textContent = counts[s] || 0; });
    $('revision').textContent = revision == null ? '–' : String(revision);
    $('etcd-banner').hidden = etcdOk;
    var total = records.size;
    $('shown').textContent = view.length === total ? total + (total === 1 ? ' node' : ' nodes')
      : view.length + ' of ' + total + ' nodes match';
  }

  function makeRow() {
    var tr = document.createElement('tr');
    var td = [];
    for (var i = 0; i < 8; i++) td.push(tr.appendChild(document.createElement('td')));
    td[0].className = 'name'; td[1].className = 'state'; td[2].className = 'age'; td[3].className = 'age';
    td[1].appendChild(el('span', 'badge'));
    td[1].appendChild(el('span', 'badge stale', 'STALE')).hidden = true;
    for (var j = 5; j < 8; j++) {
      td[j].className = 'meter';
      var b = td[j].appendChild(el('div', 'track'));
      b.appendChild(el('i'));
      td[j].appendChild(el('span', 'pct'));
    }
    tr._td = td;
    return tr;
  }
  function setBar(td, ratio, title) {
    var bar = td.firstChild, label = td.lastChild;
    if (ratio == null) {
      td.classList.add('none');
      bar.className = 'track';          // "tr .bar" means a metric is shown: none here
      label.textContent = '–';
      td.title = 'not collected';
      return;
    }
    var r = Math.min(1, Math.max(0, ratio));
    td.classList.remove('none');
    bar.firstChild.style.width = (r * 100).toFixed(1) + '%';
    bar.className = 'track bar' + (r >= 0.9 ? ' hi' : r >= 0.75 ? ' mid' : '');
    label.textContent = pct(r);
    td.title = title;
  }
  function fill(tr, r) {
    var td = tr._td, n = r.n;
    tr._rec = r; tr._ver = r.ver;
    tr.dataset.node = r.name;
    tr.dataset.state = r.state;
    tr.className = 's-' + r.state + (r.name === selected ? ' sel' : '');
    td[0].textContent = r.name; td[0].title = r.name;
    td[1].firstChild.textContent = r.state;
    td[1].title = n.state !== r.state ? 'state reported as ' + String(n.state) : '';
    td[1].lastChild.hidden = n.stale !== true;
    if (n.stale === true) td[1].title = 'heartbeat value not rewritten on its cadence: its lease is kept alive without its agent writing';
    td[2].title = absTime(r.since);
    td[3].title = r.hb == null ? 'no heartbeat seen' : absTime(r.hb) +
      (n.heartbeat && n.heartbeat.hostname != null ? '\nhostname ' + String(n.heartbeat.hostname) : '');
    td[4].textContent = r.cfg.text; td[4].title = configText(r); td[4].className = 'cfg ' + r.cfg.cls;
    setBar(td[5], r.cpu, r.cpu == null ? '' : 'cpu busy ' + (r.cpu * 100).toFixed(1) + '%');
    setBar(td[6], r.mem, r.mem == null ? '' : memoryText(r.m));
    setBar(td[7], r.disk, r.disk == null ? '' : diskText(r.m));
    tick(tr);
  }
  function tick(tr) {
    var r = tr._rec, td = tr._td;
    var s = ago(r.since, false), h = ago(r.hb, true);
    if (td[2].textContent !== s) td[2].textContent = s;
    if (td[3].textContent !== h) td[3].textContent = h;
  }
  function spacer() {
    var tr = document.createElement('tr'), td = tr.appendChild(document.createElement('td'));
    tr.className = 'spacer'; tr.setAttribute('aria-hidden', 'true'); td.colSpan = 8;
    return tr;
  }

  function paint() {
    var sc = $('scroller'), body = $('rows');
    if (!spacerTop) { spacerTop = spacer(); spacerBottom = spacer(); body.append(spacerTop, spacerBottom); }
    var head = $('nodes').tHead.offsetHeight;
    var top = Math.max(0, sc.scrollTop - head);
    var visible = Math.ceil((sc.clientHeight || 800) / rowH) + 1;
    var first = Math.floor(top / rowH);
    var start = Math.max(0, Math.min(first, view.length - visible) - OVERSCAN);
    var end = Math.min(view.length, first + visible + OVERSCAN);
    var want = end - start;
    while (pool.length < want) { var tr = makeRow(); body.insertBefore(tr, spacerBottom); pool.push(tr); }
    while (pool.length > want) pool.pop().remove();
    for (var i = 0; i < want; i++) {
      var r = view[start + i], row = pool[i];
      if (row._rec !== r || row._ver !== r.ver) fill(row, r);
    }
    spacerTop.firstChild.style.height = start * rowH + 'px';
    spacerBottom.firstChild.style.height = (view.length - end) * rowH + 'px';
    spacerTop.hidden = start === 0;
    spacerBottom.hidden = end === view.length;
    var empty = $('empty');
    empty.hidden = view.length > 0 || !ready;
    if (!empty.hidden) empty.textContent = records.size ? 'No node matches the filter.' : 'No nodes registered yet.';
    if (pool.length && !paint.measured) {
      var h = pool[0].getBoundingClientRect().height;
      paint.measured = true;
      if (h > 8 && Math.abs(h - rowH) > 0.5) { rowH = h; paintDirty = true; schedule(); }
    }
  }

  function tickAll() {
    for (var i = 0; i < pool.length; i++) tick(pool[i]);
    if (selected) drawDetail(true);
  }

  // ---- detail panel ---------------------------------------------------------------------------------
  function drawDetail(force) {
    var box = $('detail');
    if (!selected) { box.hidden = true; return; }
    var r = records.get(selected);
    if (!force && box._ver === (r ? r.ver : -1) && box._name === selected) return;
    box._ver = r ? r.ver : -1; box._name = selected;
    box.hidden = false;
    $('detail-name').textContent = selected;
    var dl = $('detail-body');
    dl.replaceChildren();
    var add = function (k, v) { if (v == null || v === '') return; dl.append(el('dt', null, k), el('dd', null, String(v))); };
    if (!r) { add('state', 'forgotten by the monitor'); return; }
    var n = r.n, m = n.metrics || {}, hb = n.heartbeat;
    add('state', r.state + (r.since != null ? ' since ' + whenText(r.since) : ''));
    add('heartbeat', r.hb == null ? 'none seen' : whenText(r.hb));
    if (n.stale === true) add('stale', 'heartbeat value not rewritten on its cadence: its lease is kept alive without its agent writing');
    if (hb && typeof hb === 'object') add('reported', [hb.status, hb.hostname].filter(function (x) { return x != null; }).join(' on '));
    add('config', configText(r));
    if (m.ts != null) add('metrics at', whenText(m.ts));
    if (r.cpu != null) add('cpu', (r.cpu * 100).toFixed(1) + '% busy');
    if (r.mem != null) add('memory', memoryText(m) + ' (' + pct(r.mem) + ')');
    if (m.load && typeof m.load === 'object') add('load', [m.load.load1, m.load.load5, m.load.load15].map(function (x) { return num(x) == null ? '?' : x.toFixed(2); }).join(' / '));
    if (r.disk != null) add('disk', diskText(m));
    if (m.network && typeof m.network === 'object') {
      add('network', Object.keys(m.network).sort().map(function (i) {
        var x = m.network[i] || {};
        return i + '  rx ' + bytes(x.rx_bytes_per_second) + '/s  tx ' + bytes(x.tx_bytes_per_second) + '/s';
      }).join('\n'));
    }
    if (n.agent && typeof n.agent === 'object') add('agent', [n.agent.version, n.agent.heartbeat_mode].filter(function (x) { return x != null; }).join(', ') + (n.agent.started_at != null ? '\nstarted ' + whenText(n.agent.started_at) : ''));
  }
  function select(name) {
    selected = name;
    for (var i = 0; i < pool.length; i++) pool[i].classList.toggle('sel', pool[i]._rec && pool[i]._rec.name === name);
    drawDetail(true);
  }

  // ---- transitions feed -----------------------------------------------------------------------------
  function feedKey(t) { return t.time + '|' + t.node + '|' + t.state + '|' + t.revision; }
  function feedItem(t) {
    var li = el('li', 'f-' + (RANK[t.state] != null ? t.state : 'UNKNOWN'));
    li._key = feedKey(t);
    var when = el('time', 't'), ts = Date.parse(t.time);
    if (isFinite(ts)) {
      var d = new Date(ts), today = new Date().toDateString() === d.toDateString();
      when.textContent = today ? localTime(d).slice(11) : localTime(d).slice(5, 16);
    } else {
      when.textContent = String(t.time);
    }
    when.title = String(t.time) + (t.source ? '  (' + t.source + ', rev ' + t.revision + ')' : '');
    var node = el('button', 'n', String(t.node));
    node.type = 'button'; node.title = 'Show ' + String(t.node);
    node.dataset.node = String(t.node);
    li.append(when, node, el('span', 'badge', String(t.state)), el('span', 'why', t.reason == null ? '' : String(t.reason)));
    return li;
  }
  function addTransition(t) {
    if (!t || t.node == null) return;
    var k = feedKey(t);
    if (feedKeys.has(k)) return;
    feedKeys.add(k);
    feedPending.push(t);
    if (feedPending.length > FEED_MAX) feedPending.splice(0, feedPending.length - FEED_MAX);
    schedule();
  }
  function drawFeed() {
    if (!feedPending.length) return;
    var feed = $('feed'), frag = document.createDocumentFragment();
    for (var i = feedPending.length - 1; i >= 0; i--) frag.append(feedItem(feedPending[i]));
    feedPending = [];
    feed.prepend(frag);
    while (feed.children.length > FEED_MAX) feed.lastChild.remove();
    $('feed-empty').hidden = true;
    if (feedKeys.size > 4 * FEED_MAX) {   // remember only what is on show: a long-lived page must not grow
      feedKeys = new Set(Array.prototype.map.call(feed.children, function (li) { return li._key; }));
    }
  }
  function replaceFeed(list) {
    var feed = $('feed');
    feed.replaceChildren();
    feedKeys = new Set();
    feedPending = [];
    list.slice(0, FEED_MAX).reverse().forEach(addTransition);   // oldest first: the newest ends on top
    $('feed-empty').hidden = list.length > 0;
  }

  // ---- data: snapshot, events, polling ---------------------------------------------------------------
  var sync = null;                  // { promise, after: the open count when it started, buffered: [] }
  var opens = 0;

  function applyNodes(j) {
    (j.nodes || []).forEach(ingest);
    (j.removed || []).forEach(function (name) { records.delete(String(name)); });
    if (num(j.revision) != null && (revision == null || j.revision > revision)) revision = j.revision;
    schedule('view');
  }
  function resync() {
    if (sync && sync.after === opens) return sync.promise;   // already fetching a fresh enough snapshot
    var s = { after: opens, buffered: [], feed: [] };
    var prev = sync ? sync.promise.catch(function () {}) : Promise.resolve();
    sync = s;                         // from now on, events are kept to be replayed over the snapshot
    s.promise = prev.then(function () {
      var nodes = fetch('api/v1/nodes', { cache: 'no-store' }).then(check);
      var trans = fetch('api/v1/transitions?limit=' + FEED_MAX, { cache: 'no-store' }).then(check)
        .catch(function () { return null; });
      return Promise.all([nodes, trans]);
    }).then(function (res) {
      var j = res[0];
      if (!ready && performance.mark) performance.mark('dashboard-snapshot-parsed');
      if (num(j.generated_at) != null) skew = j.generated_at - Date.now() / 1000;
      records.clear();
      (j.nodes || []).forEach(ingest);
      revision = num(j.revision);
      etcdOk = j.etcd !== 'lost';
      // Events that came while the snapshot was on its way are replayed when they are not older than it.
      s.buffered.forEach(function (e) { if (revision == null || !(num(e.revision) < revision)) applyNodes(e); });
      if (res[1] && Array.isArray(res[1].transitions)) {
        replaceFeed(res[1].transitions);
        s.feed.forEach(addTransition);   // duplicates of the fetched ones are dropped by key
      }
      showError(null);
      schedule('view');
    }).catch(function (e) {
      showError('Cannot load api/v1/nodes: ' + (e && e.message ? e.message : e));
      schedule();
    }).then(function () {
      if (sync === s) sync = null;
      markReady();
    });
    return s.promise;
  }
  function check(r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  }
  function showError(text) {
    var e = $('load-error');
    e.hidden = !text;
    e.textContent = text || '';
  }
  function markReady() {
    if (ready) return;
    requestAnimationFrame(function () {
      frame();
      if (ready) return;
      ready = true;
      paintDirty = true; paint();      // shows the "no nodes" text now that data is in
      document.body.dataset.ready = '1';
      if (performance.mark) performance.mark('dashboard-ready');
    });
  }

  var es = null, streamOpen = false, downSince = Date.now(), pollTimer = null;
  function connect() {
    if (!window.EventSource) return;
    es = new EventSource('api/v1/events');
    downSince = downSince || Date.now();
    es.onopen = function () {
      streamOpen = true; downSince = null; opens++;
      stopPolling(); status();
      resync();                         // whatever happened while we were away
    };
    es.onerror = function () {
      if (streamOpen || downSince == null) downSince = Date.now();
      streamOpen = false;
      if (es.readyState === EventSource.CLOSED) {   // refused for good (not a 200 event stream): retry ourselves
        es = null;
        setTimeout(connect, 3000);
      }
      status();
    };
    es.addEventListener('nodes', function (e) {
      var j = parse(e.data);
      if (!j) return;
      if (sync) sync.buffered.push(j);
      applyNodes(j);
    });
    es.addEventListener('transition', function (e) {
      var t = parse(e.data);
      if (sync) sync.feed.push(t);
      addTransition(t);
    });
    es.addEventListener('etcd', function (e) {
      var j = parse(e.data);
      if (j) { etcdOk = j.etcd !== 'lost'; schedule('view'); }
    });
  }
  function parse(s) { try { return JSON.parse(s); } catch (x) { return null; } }
  function startPolling() {
    if (pollTimer) return;
    resync();
    pollTimer = setInterval(resync, POLL_MS);
    status();
  }
  function stopPolling() {
    if (!pollTimer) return;
    clearInterval(pollTimer);
    pollTimer = null;
  }
  function status() {
    var live = $('live'), down = !streamOpen && downSince != null ? Date.now() - downSince : 0;
    if (!window.EventSource) {
      live.textContent = 'polling every 2 s'; live.className = 'live poll';
      $('stream-banner').hidden = false;
      $('stream-detail').textContent = 'this browser has no EventSource; polling every 2 s.';
      return;
    }
    live.textContent = streamOpen ? 'live' : pollTimer ? 'polling' : 'reconnecting…';
    live.className = 'live' + (streamOpen ? ' on' : pollTimer ? ' poll' : '');
    $('stream-banner').hidden = streamOpen || down < BANNER_GRACE_MS;
    $('stream-detail').textContent = pollTimer ? 'the event stream is down; polling every 2 s until it is back.'
      : 'reconnecting to the event stream…';
  }
  function watchdog() {
    if (!streamOpen && downSince != null && Date.now() - downSince >= STREAM_GRACE_MS) startPolling();
    status();
  }

  // ---- controls -------------------------------------------------------------------------------------
  function setStateFilter(s) {
    filterState = s;
    document.querySelectorAll('#state-filter button, #counts .chip').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.dataset.state === s));
    });
    $('scroller').scrollTop = 0;
    schedule('view');
  }
  function setSort(key) {
    if (sortKey !== key) { sortKey = key; sortDesc = false; }
    else if (!sortDesc) sortDesc = true;
    else { sortKey = ''; sortDesc = false; }   // third click: back to the default order
    document.querySelectorAll('#nodes th').forEach(function (th) {
      th.setAttribute('aria-sort', th.dataset.sort === sortKey ? (sortDesc ? 'descending' : 'ascending') : 'none');
    });
    $('scroller').scrollTop = 0;
    schedule('view');
  }

  function init() {
    var filter = $('filter');
    filter.addEventListener('input', function () {
      filterText = filter.value.trim().toLowerCase();
      $('scroller').scrollTop = 0;
      schedule('view');
    });
    filter.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { filter.value = ''; filterText = ''; schedule('view'); }
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === '/' && document.activeElement !== filter) { e.preventDefault(); filter.focus(); filter.select(); }
      else if (e.key === 'Escape' && selected) select(null);
    });
    document.querySelectorAll('#state-filter button').forEach(function (b) {
      b.addEventListener('click', function () { setStateFilter(b.dataset.state); });
    });
    document.querySelectorAll('#counts .chip').forEach(function (b) {
      b.addEventListener('click', function () { setStateFilter(filterState === b.dataset.state ? '' : b.dataset.state); });
    });
    document.querySelectorAll('#nodes th').forEach(function (th) {
      var b = th.querySelector('button');
      b.title = 'Sort by ' + b.textContent.toLowerCase() + ' (again: reverse, third time: default order)';
      b.addEventListener('click', function () { setSort(th.dataset.sort); });
    });
    $('rows').addEventListener('click', function (e) {
      var tr = e.target.closest('tr');
      if (tr && tr._rec) select(selected === tr._rec.name ? null : tr._rec.name);
    });
    $('feed').addEventListener('click', function (e) {
      var b = e.target.closest('button.n');
      if (!b) return;
      filter.value = b.dataset.node; filterText = b.dataset.node.toLowerCase();
      setStateFilter('');
      select(b.dataset.node);
    });
    $('detail-close').addEventListener('click', function () { select(null); });
    $('scroller').addEventListener('scroll', function () { paintDirty = true; schedule(); }, { passive: true });
    window.addEventListener('resize', function () { schedule(); });
    if (window.ResizeObserver) new ResizeObserver(function () { schedule(); }).observe($('scroller'));  // banners come and go

    if (window.EventSource) {
      connect();
      // The snapshot is best taken once the stream is open (nothing falls between them); do not wait long.
      setTimeout(function () { if (!ready && !sync) resync(); }, 300);
    } else {
      startPolling();
    }
    setInterval(tickAll, 1000);
    setInterval(watchdog, 1000);
    status();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
