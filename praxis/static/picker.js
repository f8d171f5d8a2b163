// A plain field that names a note (or a person) becomes a combobox (the ARIA 1.2 pattern) over
// the suggestions endpoints: `<input data-suggest="notes|people" aria-controls=LISTBOX>`. The
// field works without it: the server takes a title, part of one, an id or a name, and lists
// the choices when several match. The first option is pre-selected, so Enter chooses it.
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
      url: function (q, field) {
        var params = new URLSearchParams({ q: q, limit: "8" });
        if (field.getAttribute("data-suggest-kind")) params.set("kind", field.getAttribute("data-suggest-kind"));
        return "/api/v1/notes/suggest?" + params.toString();
      },
      label: function (item) { return item.title; },
      value: function (item) { return item.title + " [" + item.id + "]"; }  // one note, whatever shares its title
    },
    people: {
      url: function (q) { return "/api/v1/users/suggest?" + new URLSearchParams({ q: q }).toString(); },
      label: function (person) { return person.display_name; },
      detail: function (person) { return person.username; },
      value: function (person) { return person.username; }
    }
  };

  function enhance(field) {
    var source = SOURCES[field.getAttribute("data-suggest")];
    var list = document.getElementById(field.getAttribute("aria-controls") || "");
    if (!source || !list) return;
    field.setAttribute("role", "combobox");
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-expanded", "false");
    var items = [], active = -1, asked = 0, timer = null;
    function open(isOpen) {
      list.hidden = !isOpen;
      field.setAttribute("aria-expanded", isOpen ? "true" : "false");
      if (!isOpen) { active = -1; field.removeAttribute("aria-activedescendant"); }
    }
    function close() { asked += 1; window.clearTimeout(timer); items = []; list.textContent = ""; open(false); }
    function move(to, opening) {
      var options = list.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = to;
      options[active].setAttribute("aria-selected", "true");
      field.setAttribute("aria-activedescendant", options[active].id);
      if (!opening) options[active].scrollIntoView({ block: "nearest" });
    }
    function pick(i) {
      var item = items[i];
      close();
      field.value = source.value(item);
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(found) {
      items = found;
      list.textContent = "";
      active = -1;
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var main = document.createElement("span");
        main.textContent = source.label(item);
        option.appendChild(main);
        var detail = source.detail ? source.detail(item) : "";
        if (detail) {
          var small = document.createElement("span");
          small.className = "detail";
          small.textContent = detail;
          option.appendChild(small);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });  // the focus stays in the field
        option.addEventListener("click", function () { pick(i); });
        list.appendChild(option);
      });
      open(found.length > 0);
      if (found.length) move(0, true);
    }
    field.addEventListener("input", function () {
      var query = field.value.trim();
      window.clearTimeout(timer);
      if (!query) { close(); return; }
      var ticket = ++asked;
      timer = window.setTimeout(function () {
        getJSON(source.url(query, field)).then(function (found) {
          if (ticket === asked) show(found);  // an answer overtaken by later typing is dropped
        }).catch(function () { if (ticket === asked) close(); });
      }, 150);
    });
    field.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        move(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(active <= 0 ? items.length - 1 : active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();  // Enter chooses; a second Enter sends the form
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    field.addEventListener("blur", close);
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), enhance);
})();
