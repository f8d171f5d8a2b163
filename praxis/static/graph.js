// Zoom and pan for a carnet's graph: buttons (+, −, "Tout voir"), the keyboard (+, −, 0 and the
// arrows inside the graph), a drag to move, a pinch or Ctrl + wheel to zoom (the wheel alone too
// once the graph was touched, so that it does not catch the page's scrolling). Only the SVG's
// viewBox changes: without this script the whole drawing is shown, fitted to the width.
(function () {
  "use strict";
  var figure = document.querySelector("figure.graph[data-zoom]");
  if (!figure) return;
  var svg = figure.querySelector("svg#graph-drawing");
  var tools = figure.querySelector(".graph-tools");
  var full = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
  var view = full.slice();
  var active = false;
  var MAX_ZOOM = 16;

  function apply() {
    svg.setAttribute("viewBox", view.map(function (v) { return Math.round(v * 10) / 10; }).join(" "));
    figure.setAttribute("data-scale", (full[2] / view[2]).toFixed(2));
  }

  // Zoom by `factor` (above 1: closer) keeping the point (x, y) of the drawing where it is.
  function zoom(factor, x, y) {
    var width = Math.min(full[2] * 1.5, Math.max(full[2] / MAX_ZOOM, view[2] / factor));
    var ratio = width / view[2];
    if (x === undefined) { x = view[0] + view[2] / 2; y = view[1] + view[3] / 2; }
    view = [x - (x - view[0]) * ratio, y - (y - view[1]) * ratio, width, view[3] * ratio];
    apply();
  }

  function pan(dx, dy) { view[0] += dx; view[1] += dy; apply(); }

  function reset() { view = full.slice(); apply(); }

  // A point of the page (client pixels) in the drawing's units: the viewBox keeps the SVG's shape.
  function point(clientX, clientY) {
    var box = svg.getBoundingClientRect();
    return [view[0] + (clientX - box.left) / box.width * view[2], view[1] + (clientY - box.top) / box.height * view[3]];
  }

  function unitsPerPixel() { return view[2] / svg.getBoundingClientRect().width; }

  tools.hidden = false;
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-zoom-step]");
    if (!button) return;
    var step = button.getAttribute("data-zoom-step");
    active = true;
    if (step === "in") zoom(1.5);
    else if (step === "out") zoom(1 / 1.5);
    else reset();
  });

  svg.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !active) return;
    event.preventDefault();
    var p = point(event.clientX, event.clientY);
    zoom(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002)), p[0], p[1]);
  }, { passive: false });

  // Pointers: one drags the drawing, two pinch it. A drag does not follow the link it started on.
  var pointers = {};
  var dragged = false;
  var start = null;

  function count() { return Object.keys(pointers).length; }

  function pinch() {
    var ids = Object.keys(pointers);
    var a = pointers[ids[0]], b = pointers[ids[1]];
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, d: Math.hypot(a.x - b.x, a.y - b.y) || 1 };
  }

  svg.addEventListener("pointerdown", function (event) {
    active = true;
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    start = count() === 1 ? { x: event.clientX, y: event.clientY } : null;
    if (count() === 1) dragged = false;
    if (count() === 2) { dragged = true; start = pinch(); }
  });

  svg.addEventListener("pointermove", function (event) {
    var last = pointers[event.pointerId];
    if (!last) return;
    if (count() === 1) {
      if (!dragged && start && Math.hypot(event.clientX - start.x, event.clientY - start.y) < 5) return;
      if (!dragged) { dragged = true; svg.setPointerCapture(event.pointerId); }
      var k = unitsPerPixel();
      pan(-(event.clientX - last.x) * k, -(event.clientY - last.y) * k);
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    } else if (count() === 2) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var now = pinch();
      var k2 = unitsPerPixel();
      pan(-(now.x - start.x) * k2, -(now.y - start.y) * k2);
      var p = point(now.x, now.y);
      zoom(now.d / start.d, p[0], p[1]);
      start = now;
    }
  });

  function release(event) {
    delete pointers[event.pointerId];
    if (count() === 1) {  // a pinch ends: the remaining finger drags on from where it is
      var id = Object.keys(pointers)[0];
      start = { x: pointers[id].x, y: pointers[id].y };
    }
  }
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  svg.addEventListener("click", function (event) {
    if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; }
  }, true);

  document.addEventListener("pointerdown", function (event) {
    if (!figure.contains(event.target)) active = false;
  });

  // The keyboard, inside the graph (its buttons and its notes' links).
  figure.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var step = view[2] / 8;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (event.key === "+" || event.key === "=") zoom(1.5);
    else if (event.key === "-" || event.key === "_") zoom(1 / 1.5);
    else if (event.key === "0") reset();
    else if (moves[event.key] && svg.contains(event.target)) pan(moves[event.key][0], moves[event.key][1]);
    else return;
    event.preventDefault();
  });

  // A note reached by Tab comes into view.
  svg.addEventListener("focusin", function (event) {
    var node = event.target.closest("a.node");
    if (!node) return;
    var mark = node.querySelector(".mark").getBBox();
    var x = mark.x + mark.width / 2, y = mark.y + mark.height / 2;
    if (x < view[0] || x > view[0] + view[2] || y < view[1] || y > view[1] + view[3]) {
      view[0] = x - view[2] / 2; view[1] = y - view[3] / 2; apply();
    }
  });

  apply();
})();
