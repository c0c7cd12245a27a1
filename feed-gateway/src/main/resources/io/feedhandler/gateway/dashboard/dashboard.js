// The gateway's dashboard: a live top-of-book table from /stream (Server-Sent Events).
// It keeps its own sequence check: every event of the stream must be the sequence after the last
// one (the dashboard asks for every instrument; it filters only what it shows). It reconnects by
// itself with exponential backoff and jitter and resumes after its last sequence (?from=), so a
// gateway restart costs nothing but the wait. With its resume point it passes the stream's epoch
// (from /book), so a gateway whose feed was reset since answers with a reset, not with other ticks
// under the same sequences. window.feedDashboard exposes the check for tests.
(function () {
  'use strict';

  var STALE_MS = 5000;
  var BACKOFF_MIN_MS = 250;
  var BACKOFF_MAX_MS = 15000;

  var check = window.feedDashboard = {
    state: 'connecting',
    lastSequence: 0,   // the last sequence received, the resume point
    epoch: null,       // the stream the sequences count in, as the gateway names it
    received: 0,       // quote events received
    gaps: 0,           // a quote that was not the next sequence (should stay 0)
    duplicates: 0,     // a quote at or below the last sequence (should stay 0)
    reconnects: 0,
    resets: 0,         // the gateway could not resume us: the table was reloaded from /book
    instruments: 0
  };

  var rows = {};           // symbol -> {row, cells, quote, at}
  var source = null;
  var attempt = 0;
  var reconnectTimer = null;
  var ticksThisSecond = 0;
  var tbody = document.getElementById('book');
  var filterInput = document.getElementById('filter');

  function setState(state) {
    check.state = state;
    var el = document.getElementById('state');
    el.textContent = state;
    el.className = 'state ' + state;
  }

  function row(symbol) {
    var entry = rows[symbol];
    if (entry) {
      return entry;
    }
    var tr = document.createElement('tr');
    var cells = {};
    ['symbol', 'bidSize', 'bid', 'ask', 'askSize', 'sequence', 'age'].forEach(function (name) {
      var td = document.createElement('td');
      td.dataset.field = name;
      cells[name] = td;
      tr.appendChild(td);
    });
    cells.symbol.textContent = symbol;
    tr.dataset.symbol = symbol;
    entry = rows[symbol] = { row: tr, cells: cells, quote: null, at: 0 };
    var names = Object.keys(rows).sort();
    var next = rows[names[names.indexOf(symbol) + 1]];
    tbody.insertBefore(tr, next ? next.row : null);
    check.instruments = names.length;
    applyFilter(entry);
    return entry;
  }

  // Prices are decimal strings; compare them as decimals, never as binary floats.
  function compareDecimal(a, b) {
    var na = a.charAt(0) === '-', nb = b.charAt(0) === '-';
    if (na !== nb) { return na ? -1 : 1; }
    var pa = (na ? a.slice(1) : a).split('.'), pb = (nb ? b.slice(1) : b).split('.');
    var ia = pa[0].replace(/^0+/, ''), ib = pb[0].replace(/^0+/, '');
    var c = ia.length !== ib.length ? (ia.length < ib.length ? -1 : 1) : (ia < ib ? -1 : ia > ib ? 1 : 0);
    if (c === 0) {
      var fa = (pa[1] || '') + '00000000', fb = (pb[1] || '') + '00000000';
      fa = fa.slice(0, 8); fb = fb.slice(0, 8);
      c = fa < fb ? -1 : fa > fb ? 1 : 0;
    }
    return na ? -c : c;
  }

  function show(entry, field, value, numeric) {
    var td = entry.cells[field];
    var old = td.textContent;
    if (old === String(value)) {
      return;
    }
    td.textContent = value;
    if (numeric && old !== '') {
      td.classList.remove('up', 'down');
      void td.offsetWidth; // restart the animation
      td.classList.add(compareDecimal(String(value), old) > 0 ? 'up' : 'down');
    }
  }

  function apply(quote) {
    var entry = row(quote.symbol);
    entry.quote = quote;
    entry.at = Date.now();
    show(entry, 'bid', quote.bid, true);
    show(entry, 'ask', quote.ask, true);
    show(entry, 'bidSize', String(quote.bidSize), false);
    show(entry, 'askSize', String(quote.askSize), false);
    show(entry, 'sequence', String(quote.sequence), false);
    entry.row.classList.remove('stale');
  }

  function onQuote(event) {
    var quote = JSON.parse(event.data);
    var sequence = quote.sequence;
    if (check.lastSequence > 0) {
      if (sequence <= check.lastSequence) {
        check.duplicates++;
        return;
      }
      if (sequence !== check.lastSequence + 1) {
        check.gaps++;
      }
    }
    check.lastSequence = sequence;
    check.received++;
    ticksThisSecond++;
    attempt = 0;
    apply(quote);
    document.getElementById('last-sequence').textContent = sequence;
    document.getElementById('gaps').textContent = check.gaps;
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  function scheduleReconnect(state) {
    disconnect();
    setState(state);
    if (reconnectTimer) {
      return;
    }
    // Exponential backoff with full jitter: a gateway restart does not bring every browser back at once.
    var ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, attempt));
    var delay = ceiling / 2 + Math.random() * ceiling / 2;
    attempt++;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      check.reconnects++;
      document.getElementById('reconnects').textContent = check.reconnects;
      connect();
    }, delay);
  }

  function open(from) {
    setState(from > 0 && check.received > 0 ? 'resuming' : 'connecting');
    var epoch = check.epoch ? '&epoch=' + encodeURIComponent(check.epoch) : '';
    source = new EventSource('stream?from=' + from + epoch + tokenParameter());
    source.addEventListener('open', function () { setState('live'); });
    source.addEventListener('quote', onQuote);
    source.addEventListener('reset', function () {
      // Our resume point is gone: start again from the book.
      check.resets++;
      check.lastSequence = 0;
      check.epoch = null;
      disconnect();
      connect();
    });
    source.addEventListener('shutdown', function () { scheduleReconnect('disconnected'); });
    // EventSource's own retry gives up on an HTTP error and knows no backoff: we reconnect ourselves.
    source.onerror = function () { scheduleReconnect('disconnected'); };
  }

  function tokenParameter() {
    var token = new URLSearchParams(window.location.search).get('token');
    return token ? '&token=' + encodeURIComponent(token) : '';
  }

  function connect() {
    if (check.lastSequence > 0) {
      open(check.lastSequence);
      return;
    }
    // First the book (every instrument's latest), then the stream from the sequence it was taken at.
    fetch('book?' + tokenParameter().slice(1), { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error('book: ' + response.status); }
        return response.json();
      })
      .then(function (book) {
        book.quotes.forEach(apply);
        check.lastSequence = book.sequence;
        check.epoch = book.epoch || null;
        open(book.sequence);
      })
      .catch(function () { scheduleReconnect('disconnected'); });
  }

  function applyFilter(entry) {
    var words = filterInput.value.toUpperCase().split(/[\s,]+/).filter(Boolean);
    var symbol = entry.row.dataset.symbol;
    entry.row.hidden = words.length > 0 && !words.some(function (w) { return symbol.indexOf(w) >= 0; });
  }

  filterInput.addEventListener('input', function () {
    Object.keys(rows).forEach(function (symbol) { applyFilter(rows[symbol]); });
  });

  setInterval(function () {
    document.getElementById('rate').textContent = ticksThisSecond;
    ticksThisSecond = 0;
    var now = Date.now();
    Object.keys(rows).forEach(function (symbol) {
      var entry = rows[symbol];
      var age = entry.at ? Math.round((now - entry.at) / 1000) : '-';
      entry.cells.age.textContent = age + 's';
      entry.row.classList.toggle('stale', now - entry.at > STALE_MS);
    });
  }, 1000);

  connect();
})();
