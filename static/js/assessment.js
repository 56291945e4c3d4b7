// Progressive enhancement of a questionnaire page: conditional questions and options
// appear and disappear as answers change (a hidden option is unticked, so it is not
// sent), an exclusive checkbox ("none of these") clears the others, and the resume link
// can be copied. The server decides the same things
// without JavaScript, so nothing here is required. Answers typed on a page are only saved
// by its buttons: the page says when something is not saved yet and warns before leaving
// it then; a link of the error summary puts the focus on its question's first input.
(function () {
  "use strict";

  const copyButton = document.querySelector("[data-copy]");
  if (copyButton && navigator.clipboard) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      const input = document.getElementById(copyButton.dataset.copy);
      navigator.clipboard.writeText(input.value).then(function () {
        copyButton.textContent = copyButton.dataset.copied || "Copied";
      });
    });
  }

  const form = document.querySelector("form[data-assessment]");
  if (!form) return;
  const knownElement = document.getElementById("known-answers");
  const known = knownElement ? JSON.parse(knownElement.textContent) : {};
  const blocks = Array.from(form.querySelectorAll("[data-question]"));
  const byId = new Map(blocks.map(function (b) { return [b.dataset.question, b]; }));

  function valueOf(questionId) {
    const block = byId.get(questionId);
    if (!block) return Object.prototype.hasOwnProperty.call(known, questionId) ? known[questionId] : null;
    if (block.hidden) return null;
    const inputs = Array.from(block.querySelectorAll("input, textarea"));
    switch (block.dataset.type) {
      case "multi":
        return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      case "choice": {
        const checked = inputs.find(function (i) { return i.checked; });
        return checked ? checked.value : null;
      }
      case "scale": {
        const checked = inputs.find(function (i) { return i.checked; });
        return checked ? Number(checked.value) : null;
      }
      case "number": {
        const text = inputs[0].value.trim().replace(",", ".");
        return text === "" || isNaN(Number(text)) ? null : Number(text);
      }
      default:
        return inputs[0] ? inputs[0].value : null;
    }
  }

  function holds(condition) {
    if (condition.all) return condition.all.every(holds);
    if (condition.any) return condition.any.some(holds);
    if (Object.prototype.hasOwnProperty.call(condition, "not")) return !holds(condition.not);
    const value = valueOf(condition.question);
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return false;
    if ("equals" in condition) return value === condition.equals;
    if ("in" in condition) return condition.in.indexOf(value) !== -1;
    if ("includes" in condition) return Array.isArray(value) && value.indexOf(condition.includes) !== -1;
    if ("at_least" in condition) return typeof value === "number" && value >= condition.at_least;
    if ("at_most" in condition) return typeof value === "number" && value <= condition.at_most;
    return false;
  }

  function update() {
    // File order matters: a condition only looks back, at blocks already updated.
    blocks.forEach(function (block) {
      if (block.dataset.visibleIf) block.hidden = !holds(JSON.parse(block.dataset.visibleIf));
      block.querySelectorAll("[data-option-visible-if]").forEach(function (option) {
        const shown = holds(JSON.parse(option.dataset.optionVisibleIf));
        option.hidden = !shown;
        if (!shown) option.querySelectorAll("input").forEach(function (i) { i.checked = false; });
      });
    });
  }

  form.addEventListener("change", function (event) {
    const input = event.target;
    if (input.type === "checkbox" && input.checked) {
      const group = form.querySelectorAll('input[type=checkbox][name="' + input.name + '"]');
      group.forEach(function (other) {
        if (other === input) return;
        if (input.dataset.exclusive || other.dataset.exclusive) other.checked = false;
      });
    }
    update();
  });
  form.addEventListener("input", update);
  update();

  // Unsaved answers: a refused page (with errors) holds answers not saved yet from the start.
  const saveState = document.getElementById("save-state");
  let dirty = form.hasAttribute("data-unsaved-on-load");
  function markDirty() {
    dirty = true;
    if (saveState && saveState.dataset.unsaved) {
      saveState.textContent = saveState.dataset.unsaved;
      saveState.classList.remove("is-saved");
      saveState.classList.add("is-dirty");
    }
  }
  form.addEventListener("change", markDirty);
  form.addEventListener("input", markDirty);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own text only when this is set
  });

  // GOV.UK's pattern: following a summary link focuses the question's first input (the
  // checked one in a radio group), with its question scrolled into view.
  function focusQuestion(hash) {
    const block = hash && document.getElementById(hash.slice(1));
    if (!block || !block.dataset.question) return false;
    const inputs = Array.from(block.querySelectorAll("input, textarea, select"))
      .filter(function (i) { return !i.closest("[hidden]"); });
    const target = inputs.find(function (i) { return i.checked; }) || inputs[0];
    if (!target) return false;
    const heading = block.querySelector("legend, label");
    (heading || block).scrollIntoView();
    target.focus({ preventScroll: true });
    return true;
  }
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      if (link && focusQuestion(link.getAttribute("href"))) {
        event.preventDefault();
        history.replaceState(null, "", link.getAttribute("href"));
      }
    });
    summary.focus();
  } else if (location.hash) {
    focusQuestion(location.hash);  // a "Change" link of the review page
  }
})();
