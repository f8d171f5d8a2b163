// The note editor, on top of a form that works without it (the "Aperçu" button previews by
// posting the form): a Markdown toolbar, a live preview rendered by the server, the [[
// autocomplete, a link picker, suggestions of authors, the hint of the chosen visibility, and
// drafts kept in this browser until the note is saved. Every string it shows comes from the
// page (data-* attributes and markup rendered by the server), so that it is translated.
(function () {
  "use strict";
  var PREFIX = "praxis.draft:";
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }  // disabled by the reader

  // Just saved: the note's page names the draft that is now saved, to forget it.
  var saved = document.getElementById("draft-saved");
  if (saved) {
    if (storage) storage.removeItem(PREFIX + saved.getAttribute("data-draft-key"));
    return;
  }
  var form = document.getElementById("note-form");
  if (!form) return;
  var body = document.getElementById("body");
  var status = document.getElementById("editor-status");
  var note = form.getAttribute("data-note");
  var user = form.getAttribute("data-user");

  function text(name) { return form.getAttribute("data-" + name) || ""; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }
  function say(message) {
    // Emptied first, so that the same message said twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }
  function changed(field) { field.dispatchEvent(new Event("input", { bubbles: true })); }

  // Replace [start, end) of a field by `insert`, keeping the browser's undo history where it can.
  function replaceRange(field, start, end, insert, selStart, selEnd) {
    field.focus();
    field.setSelectionRange(start, end);
    var done = false;
    try { done = insert !== "" && document.execCommand("insertText", false, insert); } catch (e) { done = false; }
    if (!done) {
      field.setRangeText(insert, start, end, "end");
      changed(field);
    }
    field.setSelectionRange(selStart, selEnd);
  }

  // --- toolbar ----------------------------------------------------------------------------

  function wrap(marker) {
    var v = body.value, s = body.selectionStart, e = body.selectionEnd, n = marker.length;
    var selected = v.slice(s, e);
    var single = marker === "*";  // italics must not be mistaken for one side of bold
    if (selected.length >= 2 * n && selected.slice(0, n) === marker && selected.slice(-n) === marker) {
      replaceRange(body, s, e, selected.slice(n, -n), s, e - 2 * n);
      return;
    }
    if (v.slice(s - n, s) === marker && v.slice(e, e + n) === marker &&
        !(single && (v.charAt(s - 2) === "*" || v.charAt(e + 1) === "*"))) {
      replaceRange(body, s - n, e + n, selected, s - n, e - n);
      return;
    }
    var kept = selected.replace(/\s+$/, "");  // a double-clicked word's trailing space stays outside
    replaceRange(body, s, e, marker + kept + marker + selected.slice(kept.length), s + n, s + n + kept.length);
  }

  var LINE_MARKS = { heading: /^#{1,6} /, list: /^[-*+] /, numbered: /^\d+[.)] /, quote: /^> ?/ };
  function prefixLines(kind) {
    var v = body.value, s = body.selectionStart, e = body.selectionEnd;
    var start = v.lastIndexOf("\n", s - 1) + 1;
    var last = e > s && v.charAt(e - 1) === "\n" ? e - 1 : e;
    var end = v.indexOf("\n", last);
    if (end < 0) end = v.length;
    var lines = v.slice(start, end).split("\n");
    var mark = LINE_MARKS[kind];
    var filled = lines.filter(function (line) { return line.trim(); });
    var undo = filled.length > 0 && filled.every(function (line) { return mark.test(line); });
    var number = 0;
    var out = lines.map(function (line) {
      if (undo) return line.replace(mark, "");
      if (!line.trim() && lines.length > 1) return line;
      number += 1;
      return ({ heading: "## ", list: "- ", numbered: number + ". ", quote: "> " })[kind] + line;
    }).join("\n");
    var caret = start + out.length;
    replaceRange(body, start, end, out, s === e ? caret : start, caret);
  }

  function link() {
    var s = body.selectionStart, e = body.selectionEnd, selected = body.value.slice(s, e);
    if (/^https?:\/\/\S+$/.test(selected)) {
      replaceRange(body, s, e, "[](" + selected + ")", s + 1, s + 1);
    } else {
      var at = s + selected.length + 3;
      replaceRange(body, s, e, "[" + selected + "](https://)", at, at + 8);
    }
  }

  function code() {
    var s = body.selectionStart, e = body.selectionEnd, selected = body.value.slice(s, e);
    if (selected.indexOf("\n") === -1) { wrap("`"); return; }
    var block = "```\n" + selected.replace(/\n$/, "") + "\n```\n";
    replaceRange(body, s, e, block, s + 4, s + 4 + selected.replace(/\n$/, "").length);
  }

  function wikilinkMark() {
    var s = body.selectionStart, e = body.selectionEnd, selected = body.value.slice(s, e);
    if (selected && !/[\[\]\n]/.test(selected)) {
      replaceRange(body, s, e, "[[" + selected + "]]", s + selected.length + 4, s + selected.length + 4);
    } else {
      replaceRange(body, s, e, "[[", s + 2, s + 2);  // the autocomplete follows the letters typed next
    }
  }

  var MARKS = {
    bold: function () { wrap("**"); }, italic: function () { wrap("*"); }, link: link, code: code,
    heading: function () { prefixLines("heading"); }, list: function () { prefixLines("list"); },
    numbered: function () { prefixLines("numbered"); }, quote: function () { prefixLines("quote"); },
    wikilink: wikilinkMark
  };

  var toolbar = form.querySelector(".editor-toolbar");
  var tools = Array.prototype.slice.call(toolbar.querySelectorAll("button[data-mark]"));
  toolbar.hidden = false;
  // One tab stop for the whole toolbar; arrows move within it (the ARIA toolbar pattern).
  tools.forEach(function (button, i) {
    button.tabIndex = i === 0 ? 0 : -1;
    button.addEventListener("click", function () { MARKS[button.getAttribute("data-mark")](); });
  });
  toolbar.addEventListener("keydown", function (event) {
    var i = tools.indexOf(document.activeElement);
    if (i < 0) return;
    var to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tools.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    to = (to + tools.length) % tools.length;
    tools[i].tabIndex = -1;
    tools[to].tabIndex = 0;
    tools[to].focus();
  });
  body.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    var key = event.key.toLowerCase();
    if (key === "b" || key === "i") {
      event.preventDefault();
      MARKS[key === "b" ? "bold" : "italic"]();
    }
  });

  // --- suggestions: the site's one picker (picker.js) for [[, the link picker, authors, readers, links

  var Picker = window.PraxisPicker;
  function announce(count) {
    say(count === 0 ? text("suggestions-none") : fill(text(count === 1 ? "suggestions-one" : "suggestions-many"), { n: count }));
  }
  function keepUndo(field, start, end, insert, caret) { replaceRange(field, start, end, insert, caret, caret); }
  function kindLabel(item) { return text("kind-" + item.kind); }

  // A wikilink says the note's title, readable in the text: [[Titre]]. Only when another note the
  // writer may see has the same title (or the title holds what a wikilink cannot: brackets, "|",
  // or "#", which starts a section) does it name the note's id, the title as its label: [[id|Titre]].
  function wikilink(item) {
    if (!item.shared && !/[\[\]|#\n]/.test(item.title) && item.title.trim() === item.title) return "[[" + item.title + "]]";
    var label = item.title.replace(/[\[\]|\n]/g, " ").replace(/\s+/g, " ").trim().slice(0, 299 - item.id.length);
    return "[[" + item.id + "|" + label + "]]";
  }
  // A line of "Liens" says the note's title, as the server writes it back: "Titre [id]" only when
  // another note the writer may see has that title, or the title would read as "Titre [id]".
  function linkLine(item) {
    var bracketed = /\]$/.test(item.title) && item.title.indexOf("[") !== -1;
    return item.shared || bracketed ? item.title + " [" + item.id + "]" : item.title;
  }

  // Where the caret of a textarea is, measured on a hidden copy of its text and styles.
  var MIRRORED = ["boxSizing", "width", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
    "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "fontStyle", "fontVariant", "fontWeight", "fontSize",
    "fontFamily", "lineHeight", "letterSpacing", "wordSpacing", "tabSize", "textIndent", "textTransform"];
  function caretPoint(field) {
    var style = window.getComputedStyle(field);
    var mirror = document.createElement("div");
    MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
    mirror.style.position = "absolute";
    mirror.style.visibility = "hidden";
    mirror.style.left = "-9999px";
    mirror.style.top = "0";
    mirror.style.whiteSpace = "pre-wrap";
    mirror.style.overflowWrap = "break-word";
    mirror.textContent = field.value.slice(0, field.selectionStart);
    var mark = document.createElement("span");
    mark.textContent = "\u200b";
    mirror.appendChild(mark);
    document.body.appendChild(mirror);
    var line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    var point = { top: mark.offsetTop - field.scrollTop + line, left: mark.offsetLeft - field.scrollLeft };
    document.body.removeChild(mirror);
    return point;
  }

  // [[ then letters in the text: the visible notes whose titles have words starting with them.
  var OPEN_WIKILINK = /\[\[([^\[\]|\n]*)$/;
  function wikiPart(field) {
    if (field.selectionStart !== field.selectionEnd) return null;
    var caret = field.selectionStart;
    var match = OPEN_WIKILINK.exec(field.value.slice(Math.max(0, caret - 300), caret));
    if (!match || !match[1].trim()) return null;
    var end = field.value.slice(caret, caret + 2) === "]]" ? caret + 2 : caret;  // an already closed link is replaced whole
    return { start: caret - match[0].length, end: end, query: match[1] };
  }
  var wikiOptions = document.getElementById("wikilink-options");
  Picker.attach(body, {
    source: "notes", part: wikiPart, list: wikiOptions, detail: kindLabel, value: wikilink,
    replace: keepUndo, announce: announce, follow: true,
    place: function () {  // under the line being typed
      var point = caretPoint(body);
      var top = Math.max(0, Math.min(point.top, body.clientHeight));
      wikiOptions.style.top = (body.offsetTop + top + 4) + "px";
      wikiOptions.style.left = Math.max(0, Math.min(point.left, body.clientWidth - wikiOptions.offsetWidth)) + "px";
    }
  });

  // --- the link picker: organisations, terms and notes, into "Liens" or the text --------------

  var picker = document.getElementById("link-picker");
  var search = document.getElementById("link-search");
  var pickKind = document.getElementById("link-kind");
  var linksField = document.getElementById("links");
  var bodySelection = null;  // where the text's caret was when the picker took the focus
  body.addEventListener("blur", function () { bodySelection = [body.selectionStart, body.selectionEnd]; });
  picker.hidden = false;
  var linkSuggester = Picker.attach(search, {
    source: "notes", kind: function () { return pickKind.value; }, detail: kindLabel, announce: announce,
    choose: function (item) {
      var place = picker.querySelector("input[name=link_place]:checked");
      if (place && place.value === "body") {
        var at = bodySelection || [body.value.length, body.value.length];
        var inserted = wikilink(item);
        replaceRange(body, at[0], at[1], inserted, at[0] + inserted.length, at[0] + inserted.length);
        say(fill(text("link-inserted"), { title: item.title }));
      } else {
        var line = linkLine(item);
        var lines = linksField.value.split("\n").filter(function (l) { return l.trim(); });
        var known = lines.some(function (l) {
          l = l.trim();
          return l === line || l === item.id || l.slice(-(item.id.length + 2)) === "[" + item.id + "]";
        });
        if (!known) {
          lines.push(line);
          linksField.value = lines.join("\n");
          changed(linksField);
        }
        search.value = "";
        search.focus();
        say(fill(text("link-added"), { title: item.title }));
      }
    }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault();  // a search field here never sends the note
  });
  pickKind.addEventListener("change", function () { linkSuggester.update(); });

  // --- the fields that name notes and people: one note a line, names separated by commas -------

  Picker.attach(linksField, {
    source: "notes", part: "line", list: document.getElementById("links-options"), detail: kindLabel, value: linkLine,
    replace: keepUndo, announce: announce
  });
  ["authors", "readers"].forEach(function (name) {
    Picker.attach(document.getElementById(name), {
      source: "people", part: "list", list: document.getElementById(name === "authors" ? "author-options" : "readers-options"),
      announce: announce
    });
  });

  // --- the hint of the chosen visibility ----------------------------------------------------

  var visibility = document.getElementById("visibility");
  var hints = Array.prototype.slice.call(document.querySelectorAll("#visibility-hints [data-visibility]"));
  function showHint() {
    hints.forEach(function (hint) { hint.hidden = hint.getAttribute("data-visibility") !== visibility.value; });
  }
  visibility.addEventListener("change", showHint);
  showHint();

  // --- only the fields of the chosen kind (without JavaScript all show, each named by its kind) ---

  var kindSelect = document.getElementById("kind");
  var kindFields = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-kind]"));
  function showKindFields() {
    kindFields.forEach(function (set) { set.hidden = set.getAttribute("data-kind") !== kindSelect.value; });
  }
  kindSelect.addEventListener("change", showKindFields);
  showKindFields();
  // A community or chosen readers are set in the folded options: choosing such a visibility opens them.
  var options = document.getElementById("editor-options");
  visibility.addEventListener("change", function () { if (visibility.value !== "public") options.open = true; });

  // --- live preview, rendered by the server as saving would --------------------------------

  var preview = document.getElementById("preview");
  var previewBody = document.getElementById("preview-body");
  var previewError = document.getElementById("preview-error");
  var missing = document.getElementById("preview-missing");
  var panes = document.getElementById("editor-panes");
  var modes = Array.prototype.slice.call(form.querySelectorAll(".editor-modes button"));
  var sent = 0, shown = 0, previewTimer = null;
  preview.hidden = false;
  form.querySelector(".preview-button").hidden = true;  // the preview follows the typing now

  function refreshPreview(announce) {
    var ticket = ++sent;
    var request = { body: previewText(body.value) };
    if (note !== "new") request.note_id = note;
    preview.setAttribute("aria-busy", "true");
    fetch("/api/v1/notes/preview", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(request)
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (answer) {
      if (ticket <= shown) return;  // a later text is already shown
      shown = ticket;
      // Announced only when asked for ("Aperçu"), never at every keystroke.
      previewBody.setAttribute("aria-live", announce ? "polite" : "off");
      previewBody.innerHTML = answer.html;  // rendered and sanitised by the server
      missing.hidden = answer.missing.length === 0;
      missing.textContent = missing.getAttribute("data-label") + " " + answer.missing.join(", ");
      previewError.hidden = true;
      if (ticket === sent) preview.removeAttribute("aria-busy");
    }).catch(function () {
      if (ticket !== sent) return;
      previewError.hidden = false;
      preview.removeAttribute("aria-busy");
    });
  }
  body.addEventListener("input", function () {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(function () { refreshPreview(false); }, 400);
  });

  // Narrow screens show the text or its preview, one at a time.
  form.querySelector(".editor-modes").hidden = false;
  modes.forEach(function (button) {
    button.addEventListener("click", function () {
      var mode = button.getAttribute("data-mode");
      panes.classList.toggle("mode-write", mode === "write");
      panes.classList.toggle("mode-preview", mode === "preview");
      modes.forEach(function (other) { other.setAttribute("aria-pressed", other === button ? "true" : "false"); });
      if (mode === "preview") refreshPreview(true);
    });
  });
  refreshPreview(false);

  // --- files: pasted, dropped or chosen, uploaded, and their Markdown put at the caret ---------
  // Each file is sent at once as a draft upload (POST /api/v1/uploads), its placeholder in the
  // text meanwhile; the save of the note makes the drafts its text shows files of the note.

  var fileInput = document.getElementById("body-files");
  var uploadStatus = document.getElementById("upload-status");
  var dropField = body.parentNode;
  var language = document.documentElement.lang || "fr";
  var uploading = {};  // placeholder -> true, while its file is being sent
  var pending = 0;
  var bodyTouched = false;  // never focused: a chosen file goes at the end of the text
  body.addEventListener("focus", function () { bodyTouched = true; });
  Array.prototype.forEach.call(document.querySelectorAll("[data-with-script]"), function (hint) { hint.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll("[data-without-script]"), function (hint) { hint.hidden = true; });

  // The preview says a file is on its way rather than show a broken image.
  function previewText(value) {
    Object.keys(uploading || {}).forEach(function (mark) { value = value.split(mark).join("*" + mark.slice(2, -3) + "*"); });
    return value;
  }
  function statusLine(className) {
    var line = document.createElement("p");
    if (className) line.className = className;
    uploadStatus.appendChild(line);
    return line;
  }
  function placeholderFor(name) {
    var label = fill(text("upload-placeholder"), { name: name.replace(/[\[\]\\\n]/g, " ") });
    var mark = "![" + label + "]()", n = 1;
    while (uploading[mark] || body.value.indexOf(mark) !== -1) {
      n += 1;
      mark = "![" + label + " (" + n + ")]()";
    }
    uploading[mark] = true;
    return mark;
  }
  // Put `insert` where a placeholder is, wherever the writer has moved since (nothing if they
  // removed it), without taking the focus from another field.
  function replacePlaceholder(mark, insert) {
    delete uploading[mark];
    var at = body.value.indexOf(mark);
    if (at === -1) return;
    var end = at + mark.length;
    if (document.activeElement !== body) {
      body.setRangeText(insert, at, end, "preserve");
      changed(body);
      return;
    }
    function moved(point) { return point >= end ? point + insert.length - mark.length : Math.min(point, at); }
    replaceRange(body, at, end, insert, moved(body.selectionStart), moved(body.selectionEnd));
  }
  function reason(status, answer) {
    if (answer && typeof answer.message === "string" && answer.message) return answer.message;  // the server's, in this page's language
    if (status === 0) return text("upload-offline");
    if (status === 413) return text("upload-too-large");
    if (status === 401) return text("upload-signed-out");
    return fill(text("upload-failed"), { status: status });
  }
  function send(file, mark) {
    var name = file.name || "fichier";
    var line = statusLine();
    var shown = 0;
    line.textContent = fill(text("upload-progress"), { name: name, percent: 0 });
    pending += 1;
    var request = new XMLHttpRequest();
    request.open("POST", "/api/v1/uploads?lang=" + encodeURIComponent(language));
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.floor(event.loaded * 100 / event.total);
      if (percent - shown < 10) return;  // said every tenth, not at every packet
      shown = percent;
      line.textContent = fill(text("upload-progress"), { name: name, percent: percent });
    });
    function finish(status, answer) {
      pending -= 1;
      var waiting = uploadStatus.querySelector(".wait");
      if (waiting && pending === 0) waiting.remove();
      if (status === 201 && answer && answer.markdown) {
        replacePlaceholder(mark, answer.markdown);
        line.textContent = fill(text("upload-done"), { name: answer.name || name });
        window.setTimeout(function () { line.remove(); }, 6000);
      } else {
        replacePlaceholder(mark, "");
        line.className = "error";
        line.textContent = fill(text("upload-refused"), { name: name, reason: reason(status, answer) }) + " ";
        // It stays until another file is sent, or until it is put away (it is kept in sight, over the text).
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "link";
        dismiss.textContent = text("upload-dismiss");
        dismiss.addEventListener("click", function () { line.remove(); body.focus(); });
        line.appendChild(dismiss);
      }
    }
    request.addEventListener("load", function () { finish(request.status, request.response); });
    request.addEventListener("error", function () { finish(0, null); });
    request.addEventListener("abort", function () { finish(0, null); });
    var data = new FormData();
    data.append("file", file, name);
    request.send(data);
  }
  function sendAll(files) {
    var list = Array.prototype.slice.call(files || []);
    if (!list.length) return;
    Array.prototype.forEach.call(uploadStatus.querySelectorAll(".error"), function (old) { old.remove(); });
    var marks = list.map(function (file) { return placeholderFor(file.name || "fichier"); });
    var inserted = marks.join("\n");
    var start = bodyTouched ? body.selectionStart : body.value.length;
    var end = bodyTouched ? body.selectionEnd : body.value.length;
    replaceRange(body, start, end, inserted, start + inserted.length, start + inserted.length);
    list.forEach(function (file, i) { send(file, marks[i]); });
  }

  body.addEventListener("paste", function (event) {
    var data = event.clipboardData;
    if (!data || !data.files || !data.files.length) return;  // text is pasted as text
    // Text copied from an office suite comes with a picture of itself: it is pasted as text.
    var types = Array.prototype.slice.call(data.types || []);
    if (data.getData("text/plain") && (types.indexOf("text/html") !== -1 || types.indexOf("text/rtf") !== -1)) return;
    event.preventDefault();
    sendAll(data.files);
  });
  function carriesFiles(event) {
    return !!event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") !== -1;
  }
  ["dragenter", "dragover"].forEach(function (kind) {
    body.addEventListener(kind, function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      dropField.classList.add("drop-target");
    });
  });
  ["dragleave", "dragend"].forEach(function (kind) {
    body.addEventListener(kind, function () { dropField.classList.remove("drop-target"); });
  });
  body.addEventListener("drop", function (event) {
    dropField.classList.remove("drop-target");
    if (!carriesFiles(event) || !event.dataTransfer.files.length) return;  // dropped text goes in as text
    event.preventDefault();
    body.focus();
    sendAll(event.dataTransfer.files);
  });
  // A file dropped beside the text is not opened in place of the page, and of what it holds.
  document.addEventListener("dragover", function (event) {
    if (event.target === body || !carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "none";
  });
  document.addEventListener("drop", function (event) {
    if (event.target !== body && carriesFiles(event)) event.preventDefault();
  });
  MARKS.attach = function () { fileInput.click(); };
  fileInput.addEventListener("change", function () {
    var files = Array.prototype.slice.call(fileInput.files);
    fileInput.value = "";  // the same file chosen again is sent again
    sendAll(files);
  });
  // A note saved while a file is on its way would keep its placeholder.
  form.addEventListener("submit", function (event) {
    if (pending === 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var line = uploadStatus.querySelector(".wait") || statusLine("error wait");
    line.textContent = text("upload-wait");
  });

  // --- drafts: in this browser only, per person, note and base revision ----------------------

  var baseInput = form.querySelector("input[name=base_revision]");
  var draftInput = form.querySelector("input[name=draft_key]");
  var banner = document.getElementById("draft-found");
  function base() { return baseInput ? baseInput.value : "0"; }
  function draftKey() { return user + ":" + note + ":" + base(); }
  function draftFields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && ["hidden", "submit", "button", "radio", "checkbox"].indexOf(field.type) === -1 &&
        !picker.contains(field);
    });
  }
  function snapshot() {
    var values = {}, seen = {};
    draftFields().forEach(function (field) {
      seen[field.name] = (seen[field.name] || 0) + 1;
      values[field.name + (seen[field.name] > 1 ? "#" + seen[field.name] : "")] = field.value;
    });
    return values;
  }
  function same(a, b) {
    return Object.keys(a).concat(Object.keys(b)).every(function (key) { return (a[key] || "") === (b[key] || ""); });
  }
  function drafts() {
    var prefix = PREFIX + user + ":" + note + ":", found = [];
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(prefix) === 0) {
        try { found.push({ key: key, draft: JSON.parse(storage.getItem(key)) }); } catch (e) { storage.removeItem(key); }
      }
    }
    return found.sort(function (a, b) { return a.draft.saved_at < b.draft.saved_at ? 1 : -1; });
  }
  function store(values) {
    try {
      storage.setItem(PREFIX + draftKey(), JSON.stringify({ saved_at: new Date().toISOString(), base: base(), fields: values }));
    } catch (e) { /* storage full or refused: the form still holds the text */ }
  }

  if (!storage || !user) return;
  var unsaved = form.hasAttribute("data-unsaved");  // a refused or conflicting save: the page holds unsaved text
  var initial = snapshot();
  var dirty = false;
  function saveDraft() {
    var now = snapshot();
    if (!unsaved && same(now, initial)) storage.removeItem(PREFIX + draftKey());
    else store(now);
    dirty = false;
  }
  function restore(fields) {
    var seen = {};
    draftFields().forEach(function (field) {
      seen[field.name] = (seen[field.name] || 0) + 1;
      var key = field.name + (seen[field.name] > 1 ? "#" + seen[field.name] : "");
      if (!(key in fields)) return;
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === fields[key]; })) return;
      field.value = fields[key];
    });
    showHint();
    showKindFields();
    refreshPreview(false);
  }

  var from = form.getAttribute("data-draft-from");
  if (from && from !== draftKey()) storage.removeItem(PREFIX + from);  // what it held is in this page now
  if (unsaved) {
    store(initial);
  } else {
    var latest = drafts()[0];
    if (latest && same(latest.draft.fields || {}, initial)) {
      storage.removeItem(latest.key);  // nothing this page lacks
    } else if (latest) {
      var when = new Date(latest.draft.saved_at);
      // The <time> is made here: an empty one in the page would be invalid HTML.
      var time = document.createElement("time");
      if (!isNaN(when)) time.dateTime = when.toISOString();
      time.textContent = isNaN(when) ? latest.draft.saved_at : when.toLocaleString(document.documentElement.lang || undefined,
        { dateStyle: "long", timeStyle: "short" });
      banner.querySelector("[data-draft-saved]").replaceChildren(time);
      banner.hidden = false;
      banner.querySelector("[data-draft=restore]").addEventListener("click", function () {
        restore(latest.draft.fields || {});
        // A draft begun from an older revision is sent from it: the save then meets the conflict
        // screen, whose merge keeps both that draft and what was saved since.
        if (baseInput && latest.draft.base) baseInput.value = latest.draft.base;
        banner.hidden = true;
        dirty = true;
        body.focus();
      });
      banner.querySelector("[data-draft=ignore]").addEventListener("click", function () {
        drafts().forEach(function (found) { storage.removeItem(found.key); });
        banner.hidden = true;
        body.focus();
      });
    }
  }
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  window.setInterval(function () { if (dirty) saveDraft(); }, 3000);
  window.addEventListener("pagehide", function () { if (dirty) saveDraft(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && dirty) saveDraft(); });
  form.addEventListener("submit", function () {
    saveDraft();  // kept until the note's page says it is saved
    draftInput.value = draftKey();
  });
})();
