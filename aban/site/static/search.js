/* The search page: finds published names in either script, offline.
   The index (data/search-index.js) sets window.ABAN_SEARCH to entries
   [id, English-page name, Persian-page name, [keys of each name], city (en),
   city (fa), date of death (ISO), date of death (Solar Hijri), [keys of the
   city: its names and variants in both scripts, normalised, no spaces]]. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var names = window.AbanNames;
  var lang = form.getAttribute("data-lang");
  var LIMIT = 200;
  var prepared = null;

  function digits(text) {
    if (lang !== "fa") return String(text);
    return String(text).replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x06f0 + Number(d));
    });
  }

  function prepare() {
    var index = window.ABAN_SEARCH || [];
    return index.map(function (e) {
      var sound = e[3].map(function (k) { return k.split(" "); });
      var skel = sound.map(function (ws) { return ws.map(names.keySkeleton); });
      return {
        entry: e,
        plain: [names.normaliseName(e[1]).replace(/ /g, ""),
                names.normaliseName(e[2]).replace(/ /g, "")],
        sound: sound, soundJoined: sound.map(function (ws) { return ws.join(""); }),
        skel: skel, skelJoined: skel.map(function (ws) { return ws.join(""); })
      };
    });
  }

  function wordMatch(key, wordsOf, joined) {
    if (key === "") return true;
    for (var n = 0; n < wordsOf.length; n++) {
      var ws = wordsOf[n];
      for (var i = 0; i < ws.length; i++) if (ws[i].indexOf(key) === 0) return true;
      if (key.length >= 2 && joined[n].indexOf(key) >= 0) return true;
    }
    return false;
  }

  function rank(item, plain, keys) {
    if (plain && (item.plain[0].indexOf(plain) >= 0 || item.plain[1].indexOf(plain) >= 0)) {
      return 0;
    }
    if (keys.length === 0) return -1;
    var places = item.entry[8] || [];
    var byPlace = plain.length >= 3 && places.some(function (k) { return k.indexOf(plain) === 0; });
    var bySound = keys.every(function (k) { return wordMatch(k[0], item.sound, item.soundJoined); });
    if (bySound) return 1;
    var bySkeleton = keys.every(function (k) { return wordMatch(k[1], item.skel, item.skelJoined); });
    return bySkeleton ? 2 : byPlace ? 3 : -1;
  }

  function show(found) {
    results.textContent = "";
    found.slice(0, LIMIT).forEach(function (hit) {
      var e = hit.item.entry;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = form.getAttribute("data-memorial") + e[0] + ".html";
      a.textContent = lang === "fa" ? e[2] : e[1];
      li.appendChild(a);
      var details = [lang === "fa" ? e[5] : e[4], lang === "fa" ? e[7] : e[6]]
        .filter(function (x) { return x; });
      if (details.length) {
        var span = document.createElement("span");
        span.className = "desc";
        span.textContent = " · " + details.join(" · ");
        li.appendChild(span);
      }
      results.appendChild(li);
    });
    status.textContent = found.length
      ? form.getAttribute("data-count").replace("{n}", digits(found.length))
      : form.getAttribute("data-none");
  }

  function search() {
    var query = input.value;
    if (!query.trim()) { results.textContent = ""; status.textContent = ""; return; }
    if (prepared === null) { status.textContent = form.getAttribute("data-loading"); prepared = prepare(); }
    var plain = names.normaliseName(query).replace(/ /g, "");
    var keys = names.queryKeys(query);
    var found = [];
    prepared.forEach(function (item, order) {
      var r = rank(item, plain, keys);
      if (r >= 0) found.push({ item: item, rank: r, order: order });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    show(found);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  var start = /[?#&]q=([^&]*)/.exec(window.location.hash || "");
  if (start) { input.value = decodeURIComponent(start[1]); search(); }
})();
