// The live dashboard: asks /live/poll every 2 seconds (with the figures' ETag, so an unchanged
// poll is a bodiless 304) and draws what it gets. The poll carries a pass, not the session
// cookie: the page gets the pass from /app/live-pass (signed in) and renews it every minute.
// Text goes in with textContent only.
(function () {
  'use strict';
  var script = document.currentScript;
  var url = script.getAttribute('data-poll');
  var passUrl = script.getAttribute('data-pass');
  var tag = null;
  var pass = null;
  var passAt = 0;
  var every = 2000;
  var renewEvery = 60000;

  function $(id) { return document.getElementById(id); }

  function el(name, text, className) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function number(n) { return Number(n).toLocaleString('en'); }

  function ctr(f) {
    return f.impressions > 0 ? (100 * f.clicks / f.impressions).toFixed(2) + '%' : '-';
  }

  function status(text) { $('live-status').textContent = text; }

  function totals(data) {
    var t = data.totals;
    var spend = data.scope === 'PUBLISHER' ? 'Earned (gross)' : 'Spend';
    var cards = [
      ['Impressions', number(t.impressions)],
      ['Viewable', number(t.viewable)],
      ['Clicks', number(t.clicks)],
      ['CTR', ctr(t)],
      [spend, t.spend],
      ['Invalid', number(t.invalidTotal)]
    ];
    var box = $('live-totals');
    box.replaceChildren();
    cards.forEach(function (c) {
      var card = el('div', null, 'live-card');
      card.appendChild(el('span', c[0], 'live-label'));
      card.appendChild(el('strong', c[1], 'live-figure'));
      card.id = 'live-' + c[0].toLowerCase().replace(/[^a-z]+/g, '-').replace(/-$/, '');
      box.appendChild(card);
    });
  }

  function invalid(f) {
    return Object.keys(f.invalid).map(function (k) { return k + ' ' + f.invalid[k]; }).join(', ');
  }

  function table(title, rows, id, extra) {
    var section = el('section', null, 'card');
    section.appendChild(el('h2', title));
    if (!rows || rows.length === 0) {
      section.appendChild(el('p', 'Nothing yet today.', 'muted'));
      return section;
    }
    var t = el('table', null, 'live-table');
    t.id = id;
    var head = el('tr');
    ['Name', 'Impressions', 'Viewable', 'Clicks', 'CTR', 'Spend', extra, 'Invalid']
      .filter(function (h) { return h; })
      .forEach(function (h) { head.appendChild(el('th', h)); });
    t.appendChild(el('thead')).appendChild(head);
    var body = t.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', r.name !== undefined ? r.name : r.node));
      tr.appendChild(el('td', number(r.impressions), 'num'));
      tr.appendChild(el('td', number(r.viewable), 'num'));
      tr.appendChild(el('td', number(r.clicks), 'num'));
      tr.appendChild(el('td', ctr(r), 'num'));
      tr.appendChild(el('td', r.spend, 'num'));
      if (extra) { tr.appendChild(el('td', number(r.uniqueVisitors || 0), 'num')); }
      tr.appendChild(el('td', r.invalidTotal > 0 ? number(r.invalidTotal) + ' (' + invalid(r) + ')' : '0'));
      body.appendChild(tr);
    });
    section.appendChild(t);
    return section;
  }

  function tables(data) {
    var box = $('live-tables');
    box.replaceChildren();
    if (data.campaigns) {
      box.appendChild(table('Campaigns', data.campaigns, 'live-campaigns', 'Unique visitors'));
      box.appendChild(table('Creatives', data.creatives, 'live-creatives'));
    }
    if (data.sites) {
      box.appendChild(table('Sites', data.sites, 'live-sites'));
      box.appendChild(table('Zones', data.zones, 'live-zones'));
    }
    if (data.nodes) {
      box.appendChild(table('Nodes (what each recorded)', data.nodes, 'live-nodes'));
    }
  }

  function chart(series) {
    var svg = $('live-chart');
    var ns = 'http://www.w3.org/2000/svg';
    svg.replaceChildren();
    var points = series.points;
    if (points.length === 0) {
      var note = document.createElementNS(ns, 'text');
      note.setAttribute('x', '8');
      note.setAttribute('y', '64');
      note.textContent = 'The series starts 10 seconds after this node began watching.';
      svg.appendChild(note);
      return;
    }
    var w = 600, h = 110, step = w / Math.max(points.length, 30);
    var topI = Math.max.apply(null, points.map(function (p) { return p.impressions; }).concat([1]));
    var topC = Math.max.apply(null, points.map(function (p) { return p.clicks; }).concat([1]));
    var line = [];
    points.forEach(function (p, i) {
      var bar = document.createElementNS(ns, 'rect');
      var bh = h * p.impressions / topI;
      bar.setAttribute('x', String(i * step + 1));
      bar.setAttribute('y', String(h - bh + 5));
      bar.setAttribute('width', String(Math.max(step - 2, 1)));
      bar.setAttribute('height', String(bh));
      bar.setAttribute('class', 'bar');
      var title = document.createElementNS(ns, 'title');
      title.textContent = p.at + ': ' + p.impressions + ' impressions, ' + p.clicks + ' clicks';
      bar.appendChild(title);
      svg.appendChild(bar);
      line.push((i * step + step / 2).toFixed(1) + ',' + (h - h * p.clicks / topC + 5).toFixed(1));
    });
    var poly = document.createElementNS(ns, 'polyline');
    poly.setAttribute('points', line.join(' '));
    poly.setAttribute('class', 'line');
    svg.appendChild(poly);
  }

  function render(data) {
    $('live-day').textContent = data.day + ' (UTC)';
    totals(data);
    chart(data.series);
    tables(data);
  }

  // A pass for the poll, through a signed-in request (which also keeps the session alive).
  function renew() {
    return fetch(passUrl, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' })
      .then(function (r) {
        if (r.status !== 200) { throw new Error('signed out'); }
        return r.text();
      })
      .then(function (text) { pass = text; passAt = Date.now(); });
  }

  function poll() {
    var fresh = pass && Date.now() - passAt < renewEvery;
    (fresh ? Promise.resolve() : renew())
      .then(function () { return ask(); }, function () {
        status('Your session has ended: sign in again to see the figures.');
        pass = null;
      })
      .finally(function () { setTimeout(poll, every); });
  }

  function ask() {
    var headers = { 'X-Live-Pass': pass };
    if (tag) { headers['If-None-Match'] = tag; }
    return fetch(url, { headers: headers, credentials: 'omit', cache: 'no-store' })
      .then(function (r) {
        var now = new Date().toLocaleTimeString();
        if (r.status === 304) {
          status('Up to date at ' + now + ' (nothing new).');
          return null;
        }
        if (r.status === 401) {
          pass = null; // a new one on the next round
          return null;
        }
        if (r.status !== 200) {
          status('The figures could not be loaded (' + r.status + '); trying again.');
          return null;
        }
        tag = r.headers.get('ETag');
        status('Updated at ' + now + '.');
        return r.json();
      })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { status('The figures could not be loaded; trying again.'); });
  }

  poll();
})();
