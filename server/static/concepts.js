// The concept browser's filter: as you type, keep the concepts whose labels contain the text
// and the branches that lead to them, as the server does for ?q=.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var matches = document.getElementById("matches");
  var items = Array.prototype.slice.call(document.querySelectorAll(".scheme li")).reverse();
  var schemes = document.querySelectorAll(".scheme");

  function filter() {
    var needle = input.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (item) {  // descendants come before their ancestors
      var own = item.dataset.labels.indexOf(needle) !== -1;
      var below = Array.prototype.some.call(item.querySelectorAll(":scope > ul > li"), function (child) { return !child.hidden; });
      item.hidden = !(own || below);
      if (!item.hidden) { shown += 1; }
    });
    var visible = 0;
    schemes.forEach(function (scheme) {
      scheme.hidden = !scheme.querySelector("li:not([hidden])");
      var entry = document.querySelector('.schemes a[href="#' + scheme.querySelector("h2").id + '"]');
      if (entry) { entry.parentElement.hidden = scheme.hidden; }
      if (!scheme.hidden) { visible += 1; }
    });
    matches.textContent = needle ? shown + " concepts in " + visible + " schemes on branches matching “" + input.value.trim() + "”." : "";
    history.replaceState(null, "", needle ? "?" + new URLSearchParams({ q: input.value.trim() }) : location.pathname);
  }

  input.addEventListener("input", filter);
}());
