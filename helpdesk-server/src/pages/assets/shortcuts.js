// The agents' keyboard shortcuts: j/k move through the queue (Enter opens the ticket),
// r reply, n internal note, a assign, / search, ? help (Escape closes it). Keys typed into a
// field are left alone.
(function () {
  'use strict';
  var current = -1;

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('#queue tr[data-ticket]'));
  }
  function select(i) {
    var all = rows();
    if (!all.length) return false;
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach(function (row, k) {
      row.classList.toggle('current', k === current);
      if (k === current) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    });
    all[current].scrollIntoView({ block: 'nearest' });
    var link = all[current].querySelector('a');
    if (link) link.focus();
    return true;
  }
  function currentRow() {
    return rows()[current] || null;
  }
  function currentTicket() {
    var row = currentRow();
    var link = row && row.querySelector('a');
    return link ? link.getAttribute('href') : null;
  }
  function focus(selector) {
    var el = document.querySelector(selector);
    if (!el) return false;
    el.focus();
    return true;
  }
  function note() {
    var box = document.querySelector('#reply input[name=internal]');
    if (!box) return false;
    box.checked = true;
    return focus('#reply textarea');
  }
  function open(hash) {
    var to = currentTicket();
    if (!to) return false;
    window.location.href = to + hash;
    return true;
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    var help = document.getElementById('shortcut-help');
    var handled;
    switch (e.key) {
      case 'j': handled = select(current + 1); break;
      case 'k': handled = select(current - 1); break;
      case 'r': handled = focus('#reply textarea') || open('#reply'); break;
      case 'n': handled = note() || open('#note'); break;
      case 'a': {
        var row = currentRow();
        var box = row && row.querySelector('input[type=checkbox]');
        if (box) box.checked = true;
        handled = focus('select[name=agent]');
        break;
      }
      case '/': handled = focus('input[name=q]'); break;
      case '?':
        if (help) help.hidden = !help.hidden;
        handled = !!help;
        break;
      case 'Escape':
        if (help && !help.hidden) { help.hidden = true; handled = true; }
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  // A ticket opened with #note: the reply box as an internal note.
  if (window.location.hash === '#note') note();
})();
