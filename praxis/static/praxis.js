// Praxis, on every page: copying to the clipboard, and the phone menu.
//
// Praxis.copy(text) puts text in the clipboard and answers (a promise) whether it did: with the
// Clipboard API where the browser offers it (https, or the machine itself), otherwise, as on a
// site served over plain http on a local network, by selecting the text in a hidden field and
// asking the browser to copy it (document.execCommand). When neither works, the caller selects
// what was to be copied and asks the reader to press Ctrl+C. Praxis.say(region, message) says a
// result in a live region. A button with data-copy="ID" copies the value (or the text) of
// element ID, and says so in the element named by its data-status; without JavaScript it stays
// hidden and the field itself is there to select.
(() => {
  "use strict";

  const byCommand = (text) => {
    const focused = document.activeElement;
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");  // no phone keyboard
    field.setAttribute("aria-hidden", "true");
    field.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;";
    document.body.appendChild(field);
    field.select();
    field.setSelectionRange(0, text.length);
    let done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    field.remove();
    if (focused && focused.focus) focused.focus({ preventScroll: true });
    return done;
  };

  const copy = (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(() => true, () => byCommand(text));
    }
    return Promise.resolve(byCommand(text));
  };

  const say = (region, message) => {
    if (!region) return;
    region.textContent = "";  // emptied first, so that the same message said twice is announced twice
    window.setTimeout(() => { region.textContent = message; }, 50);
  };

  window.Praxis = { copy, say };

  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const source = document.getElementById(button.getAttribute("data-copy"));
    const status = document.getElementById(button.getAttribute("data-status"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const text = "value" in source ? source.value : source.textContent;
      copy(text).then((done) => {
        if (done) {
          say(status, button.getAttribute("data-done"));
        } else {
          source.focus();
          if (source.select) source.select();
          say(status, button.getAttribute("data-manual"));
        }
      });
    });
  });
})();

// The phone menu. Without this script the menu button is a link to the menu's anchor, which CSS
// opens (:target); with it, the button toggles the menu in place and says whether it is open
// (aria-expanded), and Escape closes it.
(() => {
  const toggle = document.querySelector("[data-menu-toggle]");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");
  const setOpen = (open) => {
    menu.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", (event) => {
    event.preventDefault();
    const open = !menu.classList.contains("open");
    setOpen(open);
    // Focus goes to the first destination, not the search box (which would open a phone's keyboard).
    if (open) menu.querySelector(".main-nav a")?.focus();
  });
  toggle.addEventListener("keydown", (event) => {
    if (event.key === " ") { event.preventDefault(); toggle.click(); }
  });
  // The search icon of a phone's bar opens the menu at its search box (without this script, it
  // leads to the search page and its form).
  document.querySelector("header.site .search-link")?.addEventListener("click", (event) => {
    event.preventDefault();
    setOpen(true);
    document.getElementById("site-q")?.focus();
  });
  menu.querySelector("[data-menu-close]")?.addEventListener("click", (event) => {
    event.preventDefault();
    setOpen(false);
    toggle.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("open")) { setOpen(false); toggle.focus(); }
  });
  // The account menu (a <details>) closes when the reader clicks elsewhere or presses Escape.
  const account = document.querySelector("details.user-menu");
  if (account) {
    document.addEventListener("click", (event) => { if (!account.contains(event.target)) account.open = false; });
    account.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && account.open) { account.open = false; account.querySelector("summary").focus(); }
    });
  }
})();
