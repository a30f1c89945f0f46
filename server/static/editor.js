// The query editor: YASGUI (vendored under vendor/yasgui/) set up for this server alone.
// It queries this server's /sparql, completes the project's prefixes from a list the page
// carries (never from the web), keeps tabs in localStorage, opens ?query= and catalog
// questions as tabs, and writes the query it ran into the address so that it can be shared.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  var setup = JSON.parse(element.dataset.setup);
  var endpoint = new URL(setup.endpoint, location.href).href;
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;

  // Completion from lists held here: prefixes and variables. The class and property
  // completers ask a web service (Linked Open Vocabularies), so they are left out.
  Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.defaults.yasqe.autocompleters = ["prefixes", "variables"];

  // As on every page, IRIs under this dataset's base link to their page on this server and
  // other IRIs are shown, not linked.
  var Table = Yasr.plugins.table;
  class LocalTable extends Table {
    getUriLinkFromBinding(binding, prefixes) {
      var template = document.createElement("template");
      template.innerHTML = super.getUriLinkFromBinding(binding, prefixes);
      var link = template.content.querySelector("a");
      if (binding.value.indexOf(setup.base) === 0) {
        link.setAttribute("href", setup.local + binding.value.slice(setup.base.length));
        link.setAttribute("target", "_self");
      } else {
        var text = document.createElement("span");
        text.className = link.className;
        text.title = binding.value;
        text.textContent = link.textContent;
        link.replaceWith(text);
      }
      return template.innerHTML;
    }

    drawControls() {
      super.drawControls();
      if (this.tableSizeField) { this.tableSizeField.setAttribute("aria-label", "Rows per page"); }
    }

    // Numbers sort as numbers, not as text ("2" after "19"); the row numbers' column is named.
    getColumns() {
      return super.getColumns().map(function (column) {
        var render = column.render;
        if (!column.name) {
          column.title = '<span class="visually-hidden">Row</span>';
          return column;
        }
        column.render = function (term, type, row, meta) {
          if ((type === "sort" || type === "type") && numeric(term)) { return Number(term.value); }
          return render(term, type, row, meta);
        };
        return column;
      });
    }
  }
  var NUMBERS = /#(integer|decimal|double|float|long|int|short|byte|(non)?(negative|positive)Integer|unsigned(Long|Int|Short|Byte))$/;
  function numeric(term) {
    return term && term.type !== "uri" && NUMBERS.test(term.datatype || "") && !isNaN(Number(term.value));
  }
  Yasr.registerPlugin("table", LocalTable);

  // The server answers a failed query with {message, where, hint}: show those, not the JSON.
  Yasr.defaults.errorRenderers = [explain].concat(Yasr.defaults.errorRenderers || []);
  function explain(error) {
    var parsed = null;
    try { parsed = JSON.parse(error.text); } catch (ignored) { return Promise.resolve(undefined); }
    if (!parsed || !parsed.message) { return Promise.resolve(undefined); }
    var box = document.createElement("div");
    box.className = "query-error";
    box.setAttribute("role", "alert");
    [["", parsed.message], ["Where: ", parsed.where], ["What to do: ", parsed.hint]].forEach(function (part) {
      if (!part[1]) { return; }
      var p = document.createElement("p");
      p.textContent = part[0] + part[1];
      box.appendChild(p);
    });
    return Promise.resolve(box);
  }

  // The project's prefixes first, then YASQE's bundled list for the prefixes the project lacks.
  var ours = Object.keys(setup.prefixes).map(function (prefix) { return prefix + ": <" + setup.prefixes[prefix] + ">"; });
  Yasqe.Autocompleters.prefixes.get({ config: {} }).then(function (bundled) {
    var taken = {};
    Object.keys(setup.prefixes).forEach(function (prefix) { taken[prefix + ":"] = true; });
    var known = ours.concat(bundled.filter(function (entry) { return !taken[entry.split(" ")[0]]; }));
    Yasqe.registerAutocompleter(Object.assign({}, Yasqe.Autocompleters.prefixes, { get: known, persistenceId: "coprokg_prefixes" }));
    start();
  });

  function start() {
    var arriving = Boolean(setup.opened) || location.hash.length > 1 || new URLSearchParams(location.search).has("query");
    var yasgui = new Yasgui(element, {
      autoAddOnInit: !arriving,  // a first visit with a query to open starts with that tab alone
      persistenceId: "coprokg_editor",
      tabName: "Query",
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      populateFromUrl: false,
      yasqe: { value: setup.starter, resizeable: true, editorHeight: "18rem", screenReaderLabel: "SPARQL query",
               inputStyle: "contenteditable" },  // the text itself takes focus, as screen readers expect
      yasr: { prefixes: setup.prefixes }
    });
    // A shared address (?query=, or YASGUI's own #query= link) and a catalog question open as tabs.
    var defaults = Yasgui.Tab.getDefaults(yasgui);
    var untitled = defaults.name;
    var shared = Yasgui.linkUtils.getConfigFromUrl(defaults);
    if (shared) {
      open(yasgui, shared.name === untitled ? null : shared.name, shared.yasqe.value, true);
    } else if (setup.opened) {
      open(yasgui, setup.opened.name, setup.opened.query, false);
    }
    yasgui.on("query", function (instance, tab) {
      var address = { query: tab.getQuery() };
      if (tab.name() !== instance.config.tabName) { address.tabTitle = tab.name(); }
      history.replaceState(null, "", location.pathname + "?" + new URLSearchParams(address));
    });
    label(yasgui);
    new MutationObserver(function () { label(yasgui); }).observe(element, { childList: true, subtree: true });
    window.coprokgEditor = yasgui;
  }

  // Names for the controls YASGUI leaves unnamed, and a "New tab" button after the list of tabs.
  function label(yasgui) {
    element.querySelectorAll(".controlbar .autocomplete:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", "SPARQL endpoint");
    });
    element.querySelectorAll(".CodeMirror-code[contenteditable]:not([role=textbox])").forEach(function (text) {
      text.setAttribute("role", "textbox");
      text.setAttribute("aria-multiline", "true");
    });
    var list = element.querySelector(".tabsList");
    if (list && !element.querySelector(".new-tab")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "new-tab";
      button.textContent = "New tab";
      button.addEventListener("click", function () { yasgui.addTab(true); });
      list.after(button);
    }
  }

  // Selects the tab holding this query (under this name, if given), or adds one and runs it when asked.
  function open(yasgui, name, text, run) {
    var ids = yasgui.persistentConfig.getTabs();
    for (var i = 0; i < ids.length; i += 1) {
      var kept = yasgui.persistentConfig.getTab(ids[i]);  // tabs not shown yet have no editor to ask
      if (kept.yasqe.value === text && (name === null || kept.name === name)) { yasgui.selectTabId(ids[i]); return; }
    }
    // The query always runs here, whatever endpoint or arguments a shared link carries.
    var config = { yasqe: { value: text }, requestConfig: { endpoint: endpoint, args: [] } };
    if (name !== null) { config.name = name; }
    var added = yasgui.addTab(true, config);
    if (run) { added.query().catch(function () {}); }
  }
}());
