// A comparison of two revisions: on wide screens the source diff stands open beside the text
// as it reads; on phones it stays folded under it (one tap opens it). Without this script it
// is folded everywhere, one click away.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 64rem)");
  function fit() {
    document.querySelectorAll("details.diff-source").forEach(function (source) {
      source.open = wide.matches;
    });
  }
  fit();
  wide.addEventListener("change", fit);
})();
