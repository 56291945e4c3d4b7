// Live parts of adviser pages: every element with data-live="URL" is refreshed from that
// URL every few seconds while the page is visible. Without JavaScript the page has a
// Refresh link instead.
(function () {
  "use strict";
  const regions = document.querySelectorAll("[data-live]");
  if (!regions.length || !window.fetch) return;
  document.querySelectorAll("[data-live-note]").forEach(function (note) { note.hidden = false; });
  const every = 3000;
  function refresh(region) {
    fetch(region.dataset.live, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null && html !== region.dataset.shown) { region.innerHTML = html; region.dataset.shown = html; } })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  setInterval(function () {
    if (document.hidden) return;
    regions.forEach(refresh);
  }, every);
})();
