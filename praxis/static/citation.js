// "Pour citer": copy the citation in one click, and change its style in place. Without
// JavaScript the style form reloads the page, and a click on the citation selects it whole
// (CSS user-select: all) for the reader to copy, as the hint this script hides says.
(function () {
  "use strict";
  var section = document.getElementById("citer");
  if (!section) return;
  var text = document.getElementById("citation-text");
  var copy = section.querySelector(".citation-copy");
  var status = section.querySelector(".citation-status");
  var select = section.querySelector("select[name=style]");
  var show = section.querySelector(".citation-show");
  var FORMATS = ["bibtex", "ris", "csl-json"];

  function say(message) {
    // Emptied first, so that the same message said twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function selectText() {
    var range = document.createRange();
    range.selectNodeContents(text);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyByCommand() {
    selectText();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    say(done ? copy.getAttribute("data-done") : copy.getAttribute("data-manual"));
  }

  copy.hidden = false;
  section.querySelector(".citation-hint").hidden = true;  // the button does it now
  copy.addEventListener("click", function () {
    var plain = text.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(plain).then(
        function () { say(copy.getAttribute("data-done")); },
        copyByCommand
      );
    } else {
      copyByCommand();
    }
  });

  show.hidden = true;  // the list changes the citation at once
  select.addEventListener("change", function () {
    var style = select.value;
    var params = new URLSearchParams({ style: style, lang: section.getAttribute("data-lang") });
    if (section.getAttribute("data-rev")) params.set("rev", section.getAttribute("data-rev"));
    fetch(section.getAttribute("data-api") + "?" + params.toString(), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (citation) {
      if (citation.style !== select.value) return;  // an answer overtaken by a later choice
      text.innerHTML = citation.html;  // built and escaped by the server
      text.classList.toggle("preformatted", FORMATS.indexOf(citation.style) !== -1);
      var url = new URL(window.location.href);
      url.searchParams.set("style", citation.style);
      window.history.replaceState(null, "", url.toString());
      say(copy.getAttribute("data-changed") + " " + select.options[select.selectedIndex].text + ".");
    }).catch(function () {
      select.form.submit();  // the page shows the style the form asks for
    });
  });
})();
