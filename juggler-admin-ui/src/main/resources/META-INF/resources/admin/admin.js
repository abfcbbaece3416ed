// The console's behaviour, from this file only: the Content-Security-Policy of /admin/ runs no
// inline script or event handler (io.juggler.admin.ConsoleGate).
//
// Live refresh: every 2 s a Faces ajax request re-renders the data panel (never the whole page).
// Actions (disconnect, purge) are confirmed, then submitted through the page's hidden action form.
// The connections filter re-renders as one types. The overview's charts follow #history.
window.juggler = (() => {
  let busy = false;
  const hooks = [];
  const byId = (id) => document.getElementById(id);
  // A click as Faces sees it: a command button's action runs only for an ajax request whose
  // partial event is a click on it (the event f:ajax would have passed).
  const ajax = (source, render, extra = {}) =>
    faces.ajax.request(source, new MouseEvent('click'), { execute: '@form', render, ...extra });

  const refreshed = (data) => {
    if (data.status === 'begin') busy = true;
    if (data.status === 'success') {
      busy = false;
      hooks.forEach((h) => h());
    }
  };
  const failed = (data) => {
    busy = false;
    // an HTML page instead of a Faces response: the session ended and the login page came back
    if (data && data.status === 'malformedXML') location.reload();
  };
  const refresh = () => {
    const button = byId('live:refresh');
    if (button && !busy) ajax(button, 'live:data', { onevent: refreshed, onerror: failed });
  };

  const act = (button) => {
    const d = button.dataset;
    if (d.action === 'disconnect') {
      if (!confirm('Disconnect connection ' + d.connection + ' on ' + d.instance + '?')) return;
      byId('act:instance').value = d.instance;
      byId('act:connection').value = d.connection;
      ajax(byId('act:disconnect'), 'msgs live:data');
    } else if (d.action === 'purge') {
      if (!confirm('Purge ' + d.key + ' (' + d.depth + ' entries)? This cannot be undone.')) return;
      byId('act:key').value = d.key;
      ajax(byId('act:purge'), 'msgs live:data');
    }
  };

  let typing = null;
  const filtered = (input, event) => {
    clearTimeout(typing);
    typing = setTimeout(
      () => faces.ajax.request(input, event, { execute: input.id, render: 'live:data' }),
      300,
    );
  };

  const charts = () => {
    if (!byId('chart-rates') || typeof Chart === 'undefined') return;
    const make = (id, title, series) => new Chart(byId(id), {
      type: 'line',
      data: { labels: [], datasets: series.map((s) => ({ label: s, data: [], pointRadius: 0, borderWidth: 2 })) },
      options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: title } },
                 scales: { y: { beginAtZero: true } } },
    });
    const all = {
      rates: make('chart-rates', 'Rates (per second)', ['calls', 'results', 'events']),
      queue: make('chart-queue', 'Calls queued', ['queued']),
      latency: make('chart-latency', 'Call latency (ms)', ['mean', 'p99']),
    };
    window.jugglerCharts = all;
    const update = () => {
      const el = byId('history');
      if (!el) return;
      const h = JSON.parse(el.dataset.json);
      const labels = h.t.map((t) => new Date(t).toISOString().substring(11, 19));
      const fill = (chart, arrays) => {
        chart.data.labels = labels;
        arrays.forEach((a, i) => { chart.data.datasets[i].data = a; });
        chart.update();
      };
      fill(all.rates, [h.calls, h.results, h.events]);
      fill(all.queue, [h.queued]);
      fill(all.latency, [h.meanMs, h.p99Ms]);
    };
    hooks.push(update);
    update();
  };

  document.addEventListener('DOMContentLoaded', () => {
    document.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-action]');
      if (button) act(button);
    });
    const filter = byId('live:filter');
    if (filter) filter.addEventListener('keyup', (e) => filtered(filter, e));
    charts();
    if (byId('live:refresh')) setInterval(refresh, 2000);
  });

  return { refresh, afterRefresh: (hook) => hooks.push(hook) };
})();
