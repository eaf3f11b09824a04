// The settings page (issue 21): when no time zone is chosen yet, the browser's own zone is
// selected and said to be so.
(function () {
  "use strict";
  var select = document.getElementById("time-zone");
  if (!select || !select.hasAttribute("data-browser-default")) {
    return;
  }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.selectedIndex = i;
      var note = document.getElementById("browser-zone");
      if (note) {
        note.hidden = false;
      }
      return;
    }
  }
})();
