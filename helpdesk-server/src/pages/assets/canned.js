// Canned responses on the agent's ticket page: choosing one inserts its text, placeholders
// filled in by the desk, into the reply box at the cursor, keeping what was already typed.
// It asks for the same page the form would open without script (`?canned=ID`) and takes the
// filled-in reply from it; when that page reports a refusal, the form is submitted as it is.
(function () {
  'use strict';
  var form = document.getElementById('canned');
  var box = document.querySelector('#reply textarea[name=body]');
  if (!form || !box) return;
  var select = form.querySelector('select[name=canned]');
  function insert(text) {
    var start = box.selectionStart || 0, end = box.selectionEnd || 0;
    var before = box.value.slice(0, start), after = box.value.slice(end);
    box.value = before + text + after;
    box.focus();
    box.selectionStart = box.selectionEnd = before.length + text.length;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var url = form.getAttribute('action') + '?canned=' + encodeURIComponent(select.value);
    fetch(url, { credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var filled = page.querySelector('#reply textarea[name=body]');
        if (page.getElementById('canned-error') || !filled) { form.submit(); return; }
        insert(filled.value);
        form.setAttribute('data-inserted', select.value);
      })
      .catch(function () { form.submit(); });
  });
})();
