// Drag-and-drop ordering of a carnet's notes, for its managers. Without JavaScript (or with a
// keyboard), the "Monter" and "Descendre" buttons of each note do the same through forms.
(function () {
  "use strict";
  var list = document.querySelector("ol.entries[data-reorder]");
  if (!list) return;
  var carnet = list.getAttribute("data-carnet");
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
      var note = dragged.getAttribute("data-note");
      var position = parseInt(item.getAttribute("data-position"), 10);
      list.setAttribute("aria-busy", "true");
      fetch("/api/v1/carnets/" + encodeURIComponent(carnet) + "/notes/" + encodeURIComponent(note), {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ position: position })
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        window.location.reload();
      }).catch(function () {
        list.removeAttribute("aria-busy");
        var message = document.createElement("p");
        message.className = "error";
        message.setAttribute("role", "alert");
        message.textContent = list.getAttribute("data-error") || "";
        list.parentNode.insertBefore(message, list);
      });
    });
  });
})();
