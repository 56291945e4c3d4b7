// Live parts of adviser pages (the dashboard, the projector): every element with
// data-live="URL" is refreshed from that URL every few seconds while the page is visible.
// Without JavaScript the page has a Refresh link (the projector also reloads itself).
//
// While refreshing fails (offline, or signed out meanwhile) elements marked data-live-stale
// show. After a swap the region gets a "live:updated" event. A "live:refresh" event on the
// document refreshes at once (the projector sends it after hiding or closing). Bars marked
// data-bar="KEY=VALUES" that are unchanged get the class "is-steady", so that a stylesheet
// can animate only the bars that are new or changed.
(function () {
  "use strict";
  const regions = document.querySelectorAll("[data-live]");
  if (!regions.length || !window.fetch) return;
  document.querySelectorAll("[data-live-note]").forEach(function (note) { note.hidden = false; });
  const every = 3000;

  function swap(region, html) {
    const before = new Set();
    region.querySelectorAll("[data-bar]").forEach(function (bar) { before.add(bar.dataset.bar); });
    region.innerHTML = html;
    region.dataset.shown = html;
    region.querySelectorAll("[data-bar]").forEach(function (bar) {
      if (before.has(bar.dataset.bar)) bar.classList.add("is-steady");
    });
    region.dispatchEvent(new CustomEvent("live:updated", { bubbles: true }));
  }

  function stale(yes) {
    document.querySelectorAll("[data-live-stale]").forEach(function (note) { note.hidden = !yes; });
  }

  function refresh(region) {
    return fetch(region.dataset.live, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        // Redirected: signed out meanwhile (the sign-in page), never to be shown in place.
        return response.ok && !response.redirected ? response.text() : null;
      })
      .then(function (html) {
        stale(html === null);
        if (html !== null && html !== region.dataset.shown) swap(region, html);
      })
      .catch(function () { stale(true); /* offline for a moment: try again at the next tick */ });
  }

  function refreshAll() {
    regions.forEach(refresh);
  }

  setInterval(function () {
    if (!document.hidden) refreshAll();
  }, every);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refreshAll();
  });
  document.addEventListener("live:refresh", refreshAll);
})();
