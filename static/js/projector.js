// The projector's presenter controls. Hiding, showing and closing post their forms in the
// background, so that the projector stays in full screen; keys: H hides or shows the
// results, F switches full screen, Esc only steps back (it never hides or closes anything).
// The controls show while the mouse moves or a control has keyboard focus.
(function () {
  "use strict";
  const root = document.querySelector("[data-projector]");
  if (!root || !window.fetch) return;
  const live = root.querySelector("[data-live]");
  const toggle = root.querySelector("[data-results-toggle]");
  const toggleButton = toggle.querySelector("button[type=submit]");
  const closing = root.querySelector("[data-close]");
  const cancel = root.querySelector("[data-close-cancel]");
  const fullScreen = root.querySelector("[data-fullscreen]");
  root.classList.add("has-script");
  root.querySelector("[data-keys]").hidden = false;
  cancel.hidden = false;

  // The buttons follow the state the room sees, whoever changed it (here or the dashboard).
  function follow() {
    const screen = live.querySelector("[data-results-shown]");
    if (!screen) return;
    const shown = screen.dataset.resultsShown === "yes";
    toggle.elements.shown.value = shown ? "no" : "yes";
    toggleButton.textContent = shown ? toggleButton.dataset.hideLabel : toggleButton.dataset.showLabel;
    const open = screen.dataset.open === "yes";
    if (!open) closing.open = false;
    closing.hidden = !open;
  }
  live.addEventListener("live:updated", follow);

  // Long action titles (Greek, Finnish) could run past the foot of the screen: the list's
  // type steps down until it fits its box, to no less than 60 % of the size CSS gave it.
  function fitActions() {
    const box = live.querySelector(".projector-actions");
    const list = box && box.querySelector(".frequent-actions");
    if (!list) return;
    list.style.fontSize = "";
    const full = parseFloat(getComputedStyle(list).fontSize);
    let size = full;
    while (box.scrollHeight > box.clientHeight + 1 && size > full * 0.6) {
      size *= 0.94;
      list.style.fontSize = size + "px";
    }
  }
  fitActions();
  live.addEventListener("live:updated", fitActions);
  window.addEventListener("resize", fitActions);

  function post(form) {
    const button = form.querySelector("button[type=submit]");
    if (button.disabled) return;
    button.disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        // Done, the action sends back to this page; sent anywhere else (the sign-in page of
        // an expired session), it was not done: the ordinary post shows why.
        if (response.redirected && new URL(response.url).pathname !== location.pathname) {
          throw new Error("redirected");
        }
        document.dispatchEvent(new Event("live:refresh"));
      })
      .catch(function () { form.submit(); }) // the ordinary way, which shows what went wrong
      .finally(function () { button.disabled = false; });
  }
  root.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      post(form);
    });
  });

  function stepBack() {
    closing.open = false;
    closing.querySelector("summary").focus();
  }
  cancel.addEventListener("click", stepBack);
  closing.addEventListener("toggle", function () {
    if (closing.open) cancel.focus(); // the safe answer first
  });

  if (document.fullscreenEnabled) {
    fullScreen.hidden = false;
    fullScreen.addEventListener("click", switchFullScreen);
    document.addEventListener("fullscreenchange", function () {
      fullScreen.textContent = document.fullscreenElement ? fullScreen.dataset.leaveLabel : fullScreen.dataset.enterLabel;
    });
  }
  function switchFullScreen() {
    if (!document.fullscreenEnabled) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(function () { /* refused: stay as we are */ });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    if (key === "h") {
      event.preventDefault();
      toggle.requestSubmit();
    } else if (key === "f") {
      event.preventDefault();
      switchFullScreen();
    } else if (event.key === "Escape" && closing.open) {
      event.preventDefault();
      stepBack();
    }
  });

  // Controls and the mouse pointer show while the mouse moves, then step out of the picture.
  let asleep = 0;
  function wake() {
    root.classList.add("is-awake");
    clearTimeout(asleep);
    asleep = setTimeout(function () { root.classList.remove("is-awake"); }, 3000);
  }
  document.addEventListener("pointermove", wake);
  document.addEventListener("pointerdown", wake);
})();
