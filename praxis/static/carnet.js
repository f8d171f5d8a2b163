// Drag-and-drop ordering of a carnet's notes, for its managers: the drop sends the note's
// "Monter" form with the place it was dropped at. Without JavaScript (or with a keyboard), the
// "Monter" and "Descendre" buttons of each note move it one place.
(function () {
  "use strict";
  var list = document.querySelector("ol.entries[data-reorder]");
  if (!list) return;
  var dragged = null;

  function items() { return Array.prototype.slice.call(list.querySelectorAll("li.entry")); }

  items().forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-note"));
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("dragging");
      items().forEach(function (other) { other.classList.remove("drop-target"); });
    });
    item.addEventListener("dragover", function (event) {
      if (!dragged || dragged === item || dragged.getAttribute("data-pinned") !== item.getAttribute("data-pinned")) return;
      event.preventDefault();
      item.classList.add("drop-target");
    });
    item.addEventListener("dragleave", function () { item.classList.remove("drop-target"); });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      item.classList.remove("drop-target");
      if (!dragged || dragged === item) return;
      // The note's own "Monter" form, sent with the place it was dropped at: the page comes
      // back in the same view and says "Note déplacée", as after the buttons.
      var source = dragged.querySelector('form[action$="/move"]');
      if (!source) return;
      var form = source.cloneNode(true);
      var position = document.createElement("input");
      position.type = "hidden";
      position.name = "position";
      position.value = item.getAttribute("data-position");
      form.appendChild(position);
      form.hidden = true;
      document.body.appendChild(form);
      list.setAttribute("aria-busy", "true");
      form.submit();
    });
  });
})();
