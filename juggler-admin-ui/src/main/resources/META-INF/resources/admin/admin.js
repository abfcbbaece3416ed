// Live refresh of the console: every few seconds a hidden Faces ajax button re-renders the data
// panel (never the whole page); actions are confirmed, then submitted through the action form.
window.juggler = (() => {
  let busy = false;
  const hooks = [];
  const click = (id) => { const b = document.getElementById(id); if (b) b.click(); };
  const set = (id, v) => { document.getElementById(id).value = v; };
  return {
    refreshed(data) {
      if (data.status === 'begin') busy = true;
      if (data.status === 'success') { busy = false; hooks.forEach((h) => h()); }
    },
    failed(data) {
      busy = false;
      // an HTML page instead of a Faces response: the session ended and the login page came back
      if (data && data.status === 'malformedXML') location.reload();
    },
    afterRefresh(hook) { hooks.push(hook); document.addEventListener('DOMContentLoaded', hook); },
    start(ms) { setInterval(() => { if (!busy) click('live:refresh'); }, ms); },
    disconnect(button) {
      const { instance, connection } = button.dataset;
      if (!confirm('Disconnect connection ' + connection + ' on ' + instance + '?')) return;
      set('act:instance', instance);
      set('act:connection', connection);
      click('act:disconnect');
    },
    purge(button) {
      const { key, depth } = button.dataset;
      if (!confirm('Purge ' + key + ' (' + depth + ' entries)? This cannot be undone.')) return;
      set('act:key', key);
      click('act:purge');
    },
  };
})();
