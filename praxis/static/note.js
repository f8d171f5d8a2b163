// A note's page: "Copier le lien", a copy-link anchor after each heading of the body, and a
// table of contents that marks the section being read. Without JavaScript the page reads the
// same, without these three helps (the button stays hidden). Copying is Praxis.copy (praxis.js).
(function () {
  "use strict";
  var body = document.getElementById("note-body");
  var status = document.querySelector(".note-actions .copy-status");

  // `manual`: what to say when the browser would not copy (nothing, for a heading's anchor: the
  // address bar shows the section's link once it is clicked).
  function copy(text, done, manual) {
    window.Praxis.copy(text).then(function (copied) {
      if (copied || manual) window.Praxis.say(status, copied ? done : manual);
    });
  }

  var button = document.querySelector(".note-actions .copy-link");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.getAttribute("data-url"), button.getAttribute("data-done"), button.getAttribute("data-manual"));
    });
  }

  if (!body) return;

  // A printed note shows what its folded parts (<details>: callouts, raw HTML) hold, and the
  // page folds them back after.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(body.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      unfolded.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (d) { d.open = false; });
    unfolded = [];
  });

  var label = body.getAttribute("data-anchor-label");
  var done = body.getAttribute("data-anchor-done");
  var headings = body.querySelectorAll("h2[id], h3[id], h4[id]");
  Array.prototype.forEach.call(headings, function (h) {
    // The heading is named by its own words only (a screen reader's list of headings reads
    // "Étape 3", not "Étape 3 ¶" nor the anchor's name): its text goes into a span that names it.
    var text = document.createElement("span");
    text.id = h.id + "--texte";
    while (h.firstChild) text.appendChild(h.firstChild);
    h.appendChild(text);
    h.setAttribute("aria-labelledby", text.id);
    var a = document.createElement("a");
    a.className = "heading-anchor";
    a.href = "#" + h.id;
    a.textContent = "¶";
    a.setAttribute("aria-label", label + " " + text.textContent);
    a.addEventListener("click", function () {
      copy(location.href.split("#")[0] + "#" + h.id, done);
    });
    h.appendChild(a);
  });

  // The table of contents follows the reading: the last heading above the middle of the
  // screen is the current one.
  var toc = document.querySelector(".note-side .toc");
  if (!toc || !("IntersectionObserver" in window)) return;
  var links = {};
  Array.prototype.forEach.call(toc.querySelectorAll("a[href^='#']"), function (a) {
    links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var current = null;
  function mark(id) {
    var link = links[id];
    if (!link || link === current) return;
    if (current) current.removeAttribute("aria-current");
    link.setAttribute("aria-current", "location");
    current = link;
  }
  var observer = new IntersectionObserver(function () {
    var last = null;
    Array.prototype.forEach.call(headings, function (h) {
      if (h.getBoundingClientRect().top < window.innerHeight / 2) last = h;
    });
    if (last) mark(last.id);
    else if (current) { current.removeAttribute("aria-current"); current = null; }
  }, { rootMargin: "0px 0px -50% 0px", threshold: [0, 1] });
  Array.prototype.forEach.call(headings, function (h) { if (links[h.id]) observer.observe(h); });
})();
