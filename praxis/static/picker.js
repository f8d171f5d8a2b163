// One picker wherever a note or a person is named: a combobox (the ARIA 1.2 pattern) over the
// suggestions endpoints. The first option is pre-selected, so Enter (or Tab) chooses it; the
// arrows move; Escape closes; an answer overtaken by later typing is dropped.
//
// It suggests for the part of the field being typed, and puts the chosen value there:
//   "whole"  the whole value (filing a note in a carnet, a member's name);
//   "list"   the name being typed in a comma-separated list ("alice, Mar|"), then ", " to go on;
//   "line"   the line being typed (one note a line);
//   a function(field) returning {start, end, query} or null (the editor's "[[…" before the caret).
//
// `<input data-suggest="notes|people" aria-controls=LISTBOX [data-suggest-part=list|line]
// [data-suggest-kind=KIND]>` is enhanced when the page loads; scripts call
// window.PraxisPicker.attach(field, options). Every field works without it: the server takes a
// title, part of one, an id or a name, and lists the choices when several match.
(function () {
  "use strict";
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }

  var SOURCES = {
    notes: {
      fetch: function (query, kind) {
        var params = new URLSearchParams({ q: query, limit: "8" });
        if (kind) params.set("kind", kind);
        return getJSON("/api/v1/notes/suggest?" + params.toString());
      },
      label: function (item) { return item.title; },
      value: function (item) { return item.title + " [" + item.id + "]"; }  // one note, whatever shares its title
    },
    people: {
      fetch: function (query) { return getJSON("/api/v1/users/suggest?" + new URLSearchParams({ q: query }).toString()); },
      label: function (person) { return person.display_name; },
      detail: function (person) { return person.username; },
      value: function (person) { return person.username; }
    }
  };

  // The part of the value being typed: where it starts and ends, and what to search for.
  function found(start, end, query) { return query ? { start: start, end: end, query: query } : null; }
  var PARTS = {
    whole: function (field) { return found(0, field.value.length, field.value.trim()); },
    list: function (field) {
      var value = field.value, caret = field.selectionStart, before = value.slice(0, caret);
      var start = Math.max(before.lastIndexOf(","), before.lastIndexOf(";")) + 1;
      var next = value.slice(caret).search(/[,;]/);
      return found(start, next < 0 ? value.length : caret + next, before.slice(start).trim());
    },
    line: function (field) {
      var value = field.value, caret = field.selectionStart;
      var start = value.lastIndexOf("\n", caret - 1) + 1;
      var end = value.indexOf("\n", caret);
      return found(start, end < 0 ? value.length : end, value.slice(start, caret).trim());
    }
  };

  // Put `text` in place of [start, end) and the caret at `caret`, as typing would (an input event).
  function replaceRange(field, start, end, text, caret) {
    field.setRangeText(text, start, end, "end");
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // options: source ("notes", "people" or {fetch(query, kind), label, detail, value}), part (see
  // above), kind (a string or a function: the kind of note searched), label, detail, value (each
  // function(item) overriding the source's), replace(field, start, end, text, caret), choose(item)
  // (instead of putting the value in the field), announce(count), place() (positions the list
  // once filled), follow (the caret moving elsewhere asks again), list (the listbox; by default
  // the element the field's aria-controls names).
  function attach(field, options) {
    var o = options || {};
    var source = typeof o.source === "string" ? SOURCES[o.source] : o.source;
    var list = o.list || document.getElementById(field.getAttribute("aria-controls") || "");
    if (!source || !list) return null;
    var partName = typeof o.part === "string" ? o.part : "whole";
    var part = typeof o.part === "function" ? o.part : PARTS[partName];
    var label = o.label || source.label, detail = o.detail || source.detail, value = o.value || source.value;
    var replace = o.replace || replaceRange;
    var combobox = field.tagName === "INPUT";  // a textarea takes no role: it stays a text box that suggests
    if (combobox) {
      field.setAttribute("role", "combobox");
      field.setAttribute("aria-expanded", "false");
    }
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    var items = [], active = -1, asked = 0, timer = null, choosing = false;

    function open(isOpen) {
      list.hidden = !isOpen;
      if (combobox) field.setAttribute("aria-expanded", isOpen ? "true" : "false");
      if (!isOpen) { active = -1; field.removeAttribute("aria-activedescendant"); }
    }
    function close() { asked += 1; window.clearTimeout(timer); items = []; list.textContent = ""; open(false); }
    function move(to, opening) {
      var choices = list.children;
      if (active >= 0 && choices[active]) choices[active].setAttribute("aria-selected", "false");
      active = to;
      choices[active].setAttribute("aria-selected", "true");
      field.setAttribute("aria-activedescendant", choices[active].id);
      if (!opening) choices[active].scrollIntoView({ block: "nearest" });  // opening never scrolls the page
    }
    function pick(i) {
      var item = items[i];
      var at = part(field);  // the caret has not moved since the list opened
      close();
      if (o.choose) { o.choose(item); return; }
      if (!at) return;
      var text = value(item);
      if (partName === "list") text = (at.start ? " " : "") + text + (at.end === field.value.length ? ", " : "");
      choosing = true;  // what is put in the field is not a new query
      try {
        replace(field, at.start, at.end, text, at.start + text.length);
      } finally {
        choosing = false;
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(answer) {
      items = answer;
      list.textContent = "";
      active = -1;
      field.removeAttribute("aria-activedescendant");
      answer.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var main = document.createElement("span");
        main.textContent = label(item);
        option.appendChild(main);
        var more = detail ? detail(item) : "";
        if (more) {
          var small = document.createElement("span");
          small.className = "detail";
          small.textContent = more;
          option.appendChild(small);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });  // the focus stays in the field
        option.addEventListener("click", function () { pick(i); });
        list.appendChild(option);
      });
      open(answer.length > 0);
      if (o.place && answer.length) o.place();
      if (answer.length) move(0, true);  // the first option is pre-selected: Enter chooses it
      if (o.announce) o.announce(answer.length);
    }
    function update() {
      if (choosing) return;
      var at = part(field);
      window.clearTimeout(timer);
      if (!at) { if (!list.hidden || items.length) close(); return; }
      var ticket = ++asked;
      timer = window.setTimeout(function () {
        var kind = typeof o.kind === "function" ? o.kind() : o.kind || field.getAttribute("data-suggest-kind") || "";
        source.fetch(at.query, kind).then(function (answer) {
          if (ticket === asked) show(answer);  // an answer overtaken by later typing is dropped
        }).catch(function () { if (ticket === asked) close(); });
      }, 150);
    }
    field.addEventListener("input", update);
    field.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        move(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(active <= 0 ? items.length - 1 : active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();  // Enter chooses; a second Enter sends the form (or, in a text, starts a line)
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    field.addEventListener("blur", close);
    if (o.follow) {  // the caret moved to another place: what is typed there, if anything
      field.addEventListener("keyup", function (event) {
        if (["ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"].indexOf(event.key) !== -1) update();
      });
      field.addEventListener("click", update);
    }
    return { update: update, close: close };
  }

  window.PraxisPicker = { attach: attach };
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), function (field) {
    attach(field, { source: field.getAttribute("data-suggest"), part: field.getAttribute("data-suggest-part") || "whole" });
  });
})();
