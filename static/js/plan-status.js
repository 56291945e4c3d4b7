// The results page's PDF plan is rendered in the background. While it is not ready, the
// download link says so and is held back; the page asks every few seconds (a little less
// often each time) and releases the link when the PDF is ready, or offers "try again"
// when the render failed. Without JavaScript, the link leads to a page that does the same.
(function () {
  "use strict";
  const box = document.querySelector("[data-plan-status]");
  if (!box || !window.fetch) return;
  const link = box.querySelector("[data-plan-link]");
  const preparing = box.querySelector("[data-plan-preparing]");
  const failed = box.querySelector("[data-plan-failed]");
  let wait = 1500;

  function show(state) {
    const waiting = state === "preparing";
    link.hidden = state === "failed";
    preparing.hidden = !waiting;
    failed.hidden = state !== "failed";
    if (waiting) {
      link.setAttribute("aria-disabled", "true");
      link.classList.add("is-waiting");
    } else {
      link.removeAttribute("aria-disabled");
      link.classList.remove("is-waiting");
    }
    box.dataset.state = state;
  }

  // A click while the PDF is being prepared would only lead to the waiting page.
  link.addEventListener("click", function (event) {
    if (box.dataset.state === "preparing") event.preventDefault();
  });

  function ask() {
    fetch(box.dataset.planStatus, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status === null) { later(); return; }
        show(status.state);
        if (status.state === "preparing") later();
      })
      .catch(later);  // offline for a moment: ask again
  }

  function later() {
    setTimeout(ask, wait);
    wait = Math.min(wait * 1.5, 10000);
  }

  ask();
})();
