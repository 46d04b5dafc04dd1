/* rd-territoriale — recherche dans les rapports d'une étude, sans serveur ni requête.
   Les données (#rdt-search-data) sont dans la page ; tout texte de l'étude est
   écrit avec textContent, jamais comme du HTML. */
(function () {
  "use strict";
  var source = document.getElementById("rdt-search-data");
  var box = document.getElementById("rdt-search");
  if (!source || !box) return;
  var data = JSON.parse(source.textContent);
  var input = document.getElementById("rdt-q");
  var count = document.getElementById("rdt-count");
  var list = document.getElementById("rdt-results");
  var LIMIT = 40;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2019\u02bc]/g, "'").replace(/[\u00a0\u202f]/g, " ");
  }
  var sections = data.sections.map(function (s) {
    var text = s[3].map(function (b) { return data.blocks[b]; }).join(" · ");
    var title = data.pages[s[0]][1];
    return { page: s[0], anchor: s[1], heading: s[2], text: text, title: title,
             foldedText: fold(text), foldedHeading: fold(s[2]), foldedTitle: fold(title) };
  });

  function occurrences(haystack, term) {
    var n = 0, at = haystack.indexOf(term);
    while (at !== -1 && n < 20) { n += 1; at = haystack.indexOf(term, at + term.length); }
    return n;
  }

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (!terms.length) return null;
    var found = [];
    sections.forEach(function (s) {
      var all = s.foldedTitle + " " + s.foldedHeading + " " + s.foldedText;
      if (!terms.every(function (t) { return all.indexOf(t) !== -1; })) return;
      var score = 0;
      terms.forEach(function (t) {
        if (s.foldedHeading.indexOf(t) !== -1) score += 8;
        if (s.foldedTitle.indexOf(t) !== -1) score += 4;
        score += occurrences(s.foldedText, t);
      });
      found.push({ section: s, score: score, terms: terms });
    });
    found.sort(function (a, b) { return b.score - a.score || a.section.page - b.section.page; });
    return found;
  }

  /* Un extrait autour du premier mot trouvé, les mots cherchés marqués (<mark>). */
  function snippet(s, terms) {
    var text = s.text, folded = s.foldedText, first = -1;
    terms.forEach(function (t) {
      var at = folded.indexOf(t);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    });
    var p = document.createElement("p");
    p.className = "rdt-snippet";
    if (first === -1) { p.textContent = text.slice(0, 160) + (text.length > 160 ? " …" : ""); return p; }
    var start = Math.max(0, first - 70), end = Math.min(text.length, first + 150);
    var part = text.slice(start, end), foldedPart = folded.slice(start, end), cursor = 0;
    if (start > 0) p.appendChild(document.createTextNode("… "));
    while (cursor < part.length) {
      var next = -1, length = 0;
      terms.forEach(function (t) {
        var at = foldedPart.indexOf(t, cursor);
        if (at !== -1 && (next === -1 || at < next)) { next = at; length = t.length; }
      });
      if (next === -1) { p.appendChild(document.createTextNode(part.slice(cursor))); break; }
      p.appendChild(document.createTextNode(part.slice(cursor, next)));
      var mark = document.createElement("mark");
      mark.textContent = part.slice(next, next + length);
      p.appendChild(mark);
      cursor = next + length;
    }
    if (end < text.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function show() {
    var query = input.value.trim();
    var found = search(query);
    list.textContent = "";
    if (found === null) { count.textContent = ""; return; }
    var pages = {};
    found.forEach(function (f) { pages[f.section.page] = true; });
    var n = found.length, reports = Object.keys(pages).length;
    count.textContent = n === 0 ? "Aucune section ne contient « " + query + " »."
      : n + (n > 1 ? " sections" : " section") + " dans " + reports + (reports > 1 ? " rapports" : " rapport")
        + (n > LIMIT ? " ; les " + LIMIT + " premières :" : " :");
    found.slice(0, LIMIT).forEach(function (f) {
      var s = f.section, item = document.createElement("li"), link = document.createElement("a");
      link.href = data.pages[s.page][0] + (s.anchor ? "#" + s.anchor : "");
      link.textContent = s.title + (s.heading && s.heading !== s.title ? " — " + s.heading : "");
      item.appendChild(link);
      item.appendChild(snippet(s, f.terms));
      list.appendChild(item);
    });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 120); });
  box.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); show(); });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); }
  });
  box.hidden = false;
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { input.value = asked; show(); }
})();
