// Praxis, on every page: the phone menu. Without this script the menu button is a link to the
// menu's anchor, which CSS opens (:target); with it, the button toggles the menu in place and
// says whether it is open (aria-expanded), and Escape closes it.
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
