// The language menu (a <details> element, which opens without this script): Escape closes it
// and gives the focus back to its button, and a click or the focus moving elsewhere closes it,
// so that it never stays open over the page.
(function () {
  "use strict";
  document.querySelectorAll("details.languages-menu").forEach(function (menu) {
    const summary = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    menu.addEventListener("focusout", function (event) {
      if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
})();
