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
    window.Praxis.say(status, message);
  }

  function selectText() {
    var range = document.createRange();
    range.selectNodeContents(text);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  copy.hidden = false;
  section.querySelector(".citation-hint").hidden = true;  // the button does it now
  copy.addEventListener("click", function () {
    window.Praxis.copy(text.textContent).then(function (copied) {
      if (copied) {
        say(copy.getAttribute("data-done"));
      } else {  // the browser would not: the citation is selected, for the reader to copy
        selectText();
        say(copy.getAttribute("data-manual"));
      }
    });
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
