// The questionnaire editor: a message's "Line N" link also puts the cursor on that line of
// the text being edited (the link alone scrolls the checked text to it, without script).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("source");
  if (!source) { return; }
  document.querySelectorAll("a[data-line]").forEach(function (link) {
    link.addEventListener("click", function () {
      var line = parseInt(link.getAttribute("data-line"), 10);
      var lines = source.value.split("\n");
      var start = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i += 1) { start += lines[i].length + 1; }
      var end = start + (lines[line - 1] || "").length;
      source.setSelectionRange(start, end);
      // Scroll the text area so that the line is in sight, then let the link scroll the page.
      var lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 18;
      source.scrollTop = Math.max(0, (line - 3) * lineHeight);
    });
  });
});
