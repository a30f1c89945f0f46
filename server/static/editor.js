// The query editor: runs the query against /sparql with fetch() and shows the answer.
// With CodeMirror loaded the textarea becomes a SPARQL editor; without it the textarea serves.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var textarea = document.getElementById("query");
  var base = form.dataset.base;
  var local = form.dataset.local;
  var prefixes = JSON.parse(form.dataset.prefixes);
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var downloads = document.getElementById("downloads");
  var result = document.getElementById("result");
  var editor = null;

  if (window.CodeMirror && CodeMirror.modes.sparql) {
    editor = CodeMirror.fromTextArea(textarea, {
      mode: "sparql", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity,
      screenReaderLabel: "SPARQL query",
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
    });
  } else {
    textarea.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); run(); }
    });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });

  function run() {
    var query = editor ? editor.getValue() : textarea.value;
    var started = performance.now();
    status.textContent = "Running…";
    errorBox.hidden = true;
    downloads.hidden = true;
    result.replaceChildren();
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams({ query: query }),
      headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" }
    }).then(function (response) {
      return response.text().then(function (body) {
        show(response, body, Math.round(performance.now() - started), query);
      });
    }).catch(function (error) {
      status.textContent = "";
      fail({ message: "the server could not be reached: " + error.message });
    });
    history.replaceState(null, "", location.pathname + "?" + new URLSearchParams({ query: query }));
  }

  function show(response, body, ms, query) {
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      status.textContent = "Failed with HTTP " + response.status + " after " + ms + " ms.";
      var parsed = null;
      try { parsed = JSON.parse(body); } catch (ignored) { parsed = { message: body.slice(0, 2000) }; }
      return fail(parsed);
    }
    var truncated = response.headers.get("Coprokg-Truncated");
    if (type.indexOf("application/sparql-results+json") === 0) {
      var data = JSON.parse(body);
      if (typeof data.boolean === "boolean") {
        result.appendChild(table(["answer"], [{ answer: { type: "literal", value: String(data.boolean) } }]));
        status.textContent = "ASK answered " + data.boolean + " in " + ms + " ms.";
      } else {
        var rows = data.results.bindings;
        result.appendChild(table(data.head.vars, rows));
        status.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + " in " + ms + " ms.";
      }
      offer(query, ["csv", "tsv", "json"]);
    } else {
      var pre = document.createElement("pre");
      pre.id = "graph";
      pre.textContent = body;
      result.appendChild(pre);
      status.textContent = "Graph of " + body.length + " characters of Turtle in " + ms + " ms.";
      offer(query, ["turtle", "ntriples", "jsonld"]);
    }
    if (truncated) { status.textContent += " " + truncated.replace(/^true; /, "Truncated: "); }
  }

  function fail(error) {
    errorBox.replaceChildren();
    [["", error.message || "the query failed"], ["Where: ", error.where], ["What to do: ", error.hint]].forEach(function (part) {
      if (!part[1]) { return; }
      var p = document.createElement("p");
      p.textContent = part[0] + part[1];
      errorBox.appendChild(p);
    });
    errorBox.hidden = false;
  }

  function offer(query, names) {
    downloads.replaceChildren(document.createTextNode("Download: "));
    names.forEach(function (name, index) {
      var link = document.createElement("a");
      link.href = form.action + "?" + new URLSearchParams({ query: query, format: name });
      link.download = "answer." + ({ turtle: "ttl", ntriples: "nt" }[name] || name);
      link.addEventListener("click", function (event) { event.preventDefault(); save(query, name, link.download); });
      link.textContent = name.toUpperCase();
      if (index) { downloads.appendChild(document.createTextNode(" · ")); }
      downloads.appendChild(link);
    });
    downloads.hidden = false;
  }

  // Downloads are POSTed like the query itself: a GET address has a length limit a long query can pass.
  function save(query, format, filename) {
    fetch(form.action, { method: "POST", body: new URLSearchParams({ query: query, format: format }) })
      .then(function (response) {
        if (!response.ok) { return response.json().then(fail); }
        return response.blob().then(function (blob) {
          var temporary = document.createElement("a");
          temporary.href = URL.createObjectURL(blob);
          temporary.download = filename;
          document.body.appendChild(temporary);
          temporary.click();
          temporary.remove();
          setTimeout(function () { URL.revokeObjectURL(temporary.href); }, 1000);
        });
      })
      .catch(function (error) { fail({ message: "the download failed: " + error.message }); });
  }

  function table(columns, rows) {
    var element = document.createElement("table");
    element.id = "results";
    var head = element.createTHead().insertRow();
    columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = column;
      head.appendChild(th);
    });
    var body = element.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      columns.forEach(function (column) { tr.appendChild(cell(row[column])); });
    });
    return element;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      if (term.value.indexOf(base) === 0) {
        var link = document.createElement("a");
        link.href = local + term.value.slice(base.length);
        link.textContent = compact(term.value);
        link.title = term.value;
        td.appendChild(link);
      } else {
        td.textContent = compact(term.value);
        td.title = term.value;
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"] || term.datatype) { td.title = term["xml:lang"] || term.datatype; }
    }
    return td;
  }

  function compact(iri) {
    for (var prefix in prefixes) {
      var namespace = prefixes[prefix];
      if (iri.indexOf(namespace) === 0 && iri.length > namespace.length) { return prefix + ":" + iri.slice(namespace.length); }
    }
    return "<" + iri + ">";
  }
}());
