// Link previews: hovering or focusing a link to a note, a term or an organisation — in the note's
// text, in the side column's lists of links, in the comments — shows a card (a term's definition,
// an organisation's region and description, a note's first words) from
// GET /api/v1/notes/{id}/preview, asked as the reader: what they may not see answers 404 and shows
// nothing. One card for the page, described by the link it belongs to (aria-describedby,
// role=tooltip); Escape closes it. On touch screens the link's kind icon is a button that opens
// the card. The card's labels and the language of the notes' text come from the page's
// [data-preview-labels] element.
(function () {
  "use strict";
  var root = document.querySelector("[data-preview-labels]");
  if (!root || !window.fetch) return;
  // Only links the page marked with a kind: the server marks a wikilink only when it leads to a
  // note this reader may see.
  var links = root.querySelectorAll(
    "#note-body a.wikilink[class*='kind-'], .note-side .links a[class*='kind-'], .comment .body a.wikilink[class*='kind-']"
  );
  if (!links.length) return;
  var labels = JSON.parse(root.getAttribute("data-preview-labels") || "{}");
  var lang = root.getAttribute("data-preview-lang");
  var cache = {};
  var card = document.createElement("div");
  card.id = "preview-card";
  card.className = "preview-card";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  document.body.appendChild(card);
  var shownFor = null;
  var hideTimer = null;
  var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;

  function idOf(link) {
    var m = /^\/n\/([^/#]+)\/(?:#.*)?$/.exec(link.getAttribute("href"));
    return m ? m[1] : null;
  }

  function load(id) {
    if (!cache[id]) {
      cache[id] = fetch("/api/v1/notes/" + encodeURIComponent(id) + "/preview", {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; }, function () { return null; });
    }
    return cache[id];
  }

  function line(text, cls, label) {
    var p = document.createElement("p");
    if (cls) p.className = cls;
    if (label) {
      var b = document.createElement("span");
      b.className = "preview-label";
      b.textContent = label;
      p.appendChild(b);
    }
    var span = document.createElement("span");
    span.textContent = text;
    if (lang) span.setAttribute("lang", lang);
    p.appendChild(span);
    return p;
  }

  function fill(data) {
    card.textContent = "";
    card.className = "preview-card kind-" + data.kind;
    var kind = document.createElement("p");
    kind.className = "preview-kind";
    kind.textContent = labels[data.kind] || data.kind;
    card.appendChild(kind);
    card.appendChild(line(data.title, "preview-title"));
    if (data.kind === "term" && data.definition) {
      card.appendChild(line(data.definition, "preview-definition", labels.definition));
    } else if (data.kind === "organisation" && (data.region || data.description)) {
      if (data.region) card.appendChild(line(data.region, "preview-region", labels.region));
      if (data.description) card.appendChild(line(data.description, "preview-description"));
    } else if (data.excerpt) {
      card.appendChild(line(data.excerpt, "preview-excerpt"));
    }
    if (touch) {
      var close = document.createElement("button");
      close.type = "button";
      close.className = "preview-close";
      close.setAttribute("aria-label", labels.close || "×");
      close.textContent = "×";
      close.addEventListener("click", function () { hide(); });
      card.appendChild(close);
    }
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var width = card.offsetWidth;
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    var top = r.bottom + window.scrollY + 6;
    if (r.bottom + card.offsetHeight + 12 > window.innerHeight && r.top > card.offsetHeight + 12) {
      top = r.top + window.scrollY - card.offsetHeight - 6;  // above the link when there is no room below
    }
    card.style.left = left + "px";  // CSSOM, which the policy allows (unlike style attributes)
    card.style.top = top + "px";
  }

  function show(link) {
    window.clearTimeout(hideTimer);
    var id = idOf(link);
    if (!id) return;
    shownFor = link;
    load(id).then(function (data) {
      if (shownFor !== link) return;
      if (!data) { hide(); return; }  // hidden or gone: nothing, as for a missing note
      fill(data);
      card.hidden = false;
      place(link);
      link.setAttribute("aria-describedby", card.id);
      var toggle = link.previousElementSibling;
      if (toggle && toggle.classList.contains("preview-toggle")) toggle.setAttribute("aria-expanded", "true");
    });
  }

  function hide() {
    window.clearTimeout(hideTimer);
    if (shownFor) {
      shownFor.removeAttribute("aria-describedby");
      var toggle = shownFor.previousElementSibling;
      if (toggle && toggle.classList.contains("preview-toggle")) toggle.setAttribute("aria-expanded", "false");
    }
    shownFor = null;
    card.hidden = true;
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 200);  // time to move the pointer onto the card
  }

  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("mouseleave", hideSoon);
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", function () { if (!touch) hideSoon(); });
    if (touch) {
      var kind = (/kind-(\w+)/.exec(link.className) || [])[1];
      var button = document.createElement("button");
      button.type = "button";
      button.className = "preview-toggle kind-" + kind;
      button.setAttribute("aria-label", (labels.show || "") + " " + link.textContent);
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", card.id);
      button.addEventListener("click", function (e) {
        e.preventDefault();
        if (shownFor === link && !card.hidden) hide(); else show(link);
      });
      if (link.closest(".body")) {
        // In running text the button and the link stand in one span that does not wrap between
        // them (the link itself still wraps between its words): the button never ends a line
        // apart from the link's first word.
        var pair = document.createElement("span");
        pair.className = "preview-pair";
        link.parentNode.insertBefore(pair, link);
        pair.appendChild(button);
        pair.appendChild(link);
      } else {
        link.parentNode.insertBefore(button, link);
      }
      link.classList.add("has-toggle");
    }
  });
  card.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
  card.addEventListener("mouseleave", hideSoon);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !card.hidden) hide();
  });
  document.addEventListener("click", function (e) {
    if (!card.hidden && !card.contains(e.target) && !(e.target.closest && e.target.closest(".preview-toggle"))) hide();
  });
})();
