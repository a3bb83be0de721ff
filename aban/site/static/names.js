/* Name keys for the search page: a port of aban.text.normalise_name and of
   sound_key, skeleton and name_form in aban/text/keys.py. Keep it in step
   with them: tests/site/test_search.py runs both on the same names. */
(function (global) {
  "use strict";

  var BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
  var INVISIBLE = "\u00ad\u200b\u2060\ufeff";
  var INVISIBLE_RE = new RegExp(
    "[" + BIDI + INVISIBLE + "\\x00-\\x08\\x0e-\\x1b\\x7f-\\x84\\x86-\\x9f\u200c\u200d]", "g");
  var YEH = "\u06cc", KAF = "\u06a9", HEH = "\u0647", ALEF = "\u0627", WAW = "\u0648";
  var FOLDS = {
    "\u064a": YEH, "\u0649": YEH, "\u0626": YEH, "\u06ce": YEH,
    "\u0643": KAF, "\u06aa": KAF,
    "\u0629": HEH, "\u06c0": HEH, "\u06d5": HEH, "\u06c1": HEH, "\u06c2": HEH,
    "\u0623": ALEF, "\u0625": ALEF, "\u0622": ALEF, "\u0671": ALEF,
    "\u0624": WAW, "\u06c6": WAW, "\u0695": "\u0631", "\u06b5": "\u0644"
  };
  var APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u2018\u2019\u201b\u2032\u0640";
  var SEPARATORS = "-_.\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u06d4";
  var PERSIAN_DIGITS = "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9";
  var ARABIC_DIGITS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669";
  var MARKS_RE = /[\p{Mn}\p{Me}]/gu;
  // Python's str.split() whitespace.
  var SPACE_RE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  function nameTable(s) {
    var out = "";
    for (var ch of s) {
      if (Object.prototype.hasOwnProperty.call(FOLDS, ch)) out += FOLDS[ch];
      else if (APOSTROPHES.indexOf(ch) >= 0) continue;
      else if (SEPARATORS.indexOf(ch) >= 0) out += " ";
      else out += ch;
    }
    return out;
  }

  function caseFold(s) {
    return s.toLowerCase().replace(/\u00df|\u1e9e/g, "ss").replace(/\u03c2/g, "\u03c3");
  }

  function digits(s) {
    var out = "";
    for (var ch of s) {
      var i = PERSIAN_DIGITS.indexOf(ch);
      if (i < 0) i = ARABIC_DIGITS.indexOf(ch);
      if (i >= 0) out += String(i);
      else if (ch === "\u066b") out += ".";
      else if (ch === "\u066c") out += ",";
      else out += ch;
    }
    return out;
  }

  function isAscii(s) {
    return /^[\x00-\x7f]*$/.test(s);
  }

  function collapseSpace(s) {
    return s.split(SPACE_RE).filter(function (w) { return w !== ""; }).join(" ");
  }

  /* aban.text.normalise_name */
  function normaliseName(s) {
    s = nameTable(s.replace(INVISIBLE_RE, ""));
    s = caseFold(s.normalize("NFD")).normalize("NFKD");
    s = caseFold(s).normalize("NFKD");
    s = nameTable(digits(s));
    if (!isAscii(s)) s = s.replace(MARKS_RE, "");
    return collapseSpace(s.normalize("NFC"));
  }

  /* aban.text.keys.HONORIFIC_WORDS and the family-name suffixes */
  function wordSet(text) {
    var set = {};
    text.split(" ").forEach(function (w) { if (w) set[normaliseName(w)] = true; });
    return set;
  }
  var HONORIFICS = wordSet(
   "seyed sayed seyyed sayyed sayyid seyd seied sayid syed " +
   "seyedeh sayedeh seyyedeh sayyedeh seyede seyyede haj haji hajj " +
   "hajieh hajiyeh mirza martyr shahid shaheed karbalaei karbalayi karbalai " +
   "mashhadi mashadi marhoum marhum " +
   "\u0633\u06cc\u062f \u0633\u06cc\u062f\u0647 \u062d\u0627\u062c \u062d\u0627\u062c\u06cc " +
   "\u062d\u0627\u062c\u06cc\u0647 \u0645\u06cc\u0631\u0632\u0627 \u0634\u0647\u06cc\u062f \u0645\u0631\u062d\u0648\u0645 " +
   "\u0645\u0631\u062d\u0648\u0645\u0647 \u0634\u0627\u062f\u0631\u0648\u0627\u0646 \u06a9\u0631\u0628\u0644\u0627\u06cc\u06cc \u0645\u0634\u0647\u062f\u06cc ");
  var FAMILY_SUFFIXES = wordSet(
   "zadeh zade zada pour pur poor nejad nezhad " +
   "nejhad nia far vand lou lu khani abadi " +
   "panah bakhsh manesh " +
   "\u0632\u0627\u062f\u0647 \u067e\u0648\u0631 \u0646\u0698\u0627\u062f \u0646\u06cc\u0627 " +
   "\u0641\u0631 \u0648\u0646\u062f \u0644\u0648 \u062e\u0627\u0646\u06cc " +
   "\u0622\u0628\u0627\u062f\u06cc \u067e\u0646\u0627\u0647 \u0628\u062e\u0634 \u0645\u0646\u0634 ");

  function words(raw) {
    var text = normaliseName(raw);
    return text === "" ? [] : text.split(" ");
  }

  /* keys.drop_honorifics: honorifics in front, each a word of its own, never the
     last word nor one before a family-name suffix */
  function dropHonorifics(raw) {
    var ws = raw.split(SPACE_RE).filter(function (w) { return w !== ""; });
    var k = 0;
    while (k < ws.length - 1 && HONORIFICS[normaliseName(ws[k])] &&
           !FAMILY_SUFFIXES[normaliseName(ws[k + 1])]) k++;
    return k ? ws.slice(k).join(" ") : raw;
  }

  /* keys.name_form: normalised, no honorific in front, no spaces */
  function nameForm(raw) {
    return words(dropHonorifics(raw)).join("");
  }

  var LATIN_DIGRAPHS = [
    ["sch", "S"], ["sh", "S"], ["ch", "C"], ["kh", "X"], ["gh", "q"], ["zh", "j"],
    ["ph", "f"], ["ck", "k"], ["ou", "U"], ["oo", "U"], ["ee", "I"], ["ei", "I"],
    ["ey", "I"], ["ie", "I"]
  ];
  var LATIN_LETTERS = { c: "k", x: "X", w: "v" };
  var LATIN_LONG = { u: "U", v: "U", i: "I", y: "I" };
  var PERSIAN = {
    "\u0628": "b", "\u067e": "p", "\u062a": "t", "\u062b": "s", "\u062c": "j",
    "\u0686": "C", "\u062d": "h", "\u062e": "X", "\u062f": "d", "\u0630": "z",
    "\u0631": "r", "\u0632": "z", "\u0698": "j", "\u0633": "s", "\u0634": "S",
    "\u0635": "s", "\u0636": "z", "\u0637": "t", "\u0638": "z", "\u0639": "",
    "\u063a": "q", "\u0641": "f", "\u0642": "q", "\u06a9": "k", "\u06af": "g",
    "\u0644": "l", "\u0645": "m", "\u0646": "n", "\u0648": "v", "\u0647": "h",
    "\u06cc": "y", "\u0627": "", "\u0621": ""
  };
  var PERSIAN_LONG = { "\u0648": "U", "\u06cc": "I" };
  var NOT_LETTER = /[^a-z\u0600-\u06ff]/g;

  function latinKey(word) {
    LATIN_DIGRAPHS.forEach(function (pair) { word = word.split(pair[0]).join(pair[1]); });
    var letters = Array.from(word).map(function (c) {
      return Object.prototype.hasOwnProperty.call(LATIN_LETTERS, c) ? LATIN_LETTERS[c] : c;
    });
    if (letters.length > 1 && letters[letters.length - 1] === "h") letters.pop();
    var out = "";
    letters.forEach(function (c, i) {
      if (i === 0 && (c === "y" || c === "v")) out += c;
      else if (Object.prototype.hasOwnProperty.call(LATIN_LONG, c)) out += LATIN_LONG[c];
      else if ("aeo".indexOf(c) < 0) out += c;
    });
    return out;
  }

  function persianKey(word) {
    var letters = Array.from(word);
    var last = letters[letters.length - 1];
    if (letters.length > 1 && (last === "\u0647" || last === "\u062d")) letters.pop();
    var out = "";
    letters.forEach(function (c, i) {
      if (i > 0 && Object.prototype.hasOwnProperty.call(PERSIAN_LONG, c)) out += PERSIAN_LONG[c];
      else if (Object.prototype.hasOwnProperty.call(PERSIAN, c)) out += PERSIAN[c];
    });
    return out;
  }

  function collapse(key) {
    var out = "";
    for (var c of key) if (out === "" || out[out.length - 1] !== c) out += c;
    return out;
  }

  /* keys.sound_key */
  function soundKey(name) {
    var word = name.replace(NOT_LETTER, "");
    return collapse(isAscii(word) ? latinKey(word) : persianKey(word));
  }

  /* The skeleton of a sound key: its long vowels (U, I) dropped. */
  function keySkeleton(key) {
    return collapse(key.replace(/U/g, "").replace(/I/g, ""));
  }

  /* keys.skeleton */
  function skeleton(name) {
    return keySkeleton(soundKey(name));
  }

  /* aban.site.search.name_keys: the sound key of each word */
  function nameKeys(name) {
    return words(name).map(soundKey).filter(function (k) { return k !== ""; }).join(" ");
  }

  /* aban.site.search.query_keys: [sound key, skeleton] of each query word */
  function queryKeys(query) {
    var ws = words(dropHonorifics(query));
    return ws.map(function (w) { return [soundKey(w), skeleton(w)]; })
      .filter(function (pair) { return pair[0] !== ""; });
  }

  global.AbanNames = {
    normaliseName: normaliseName, nameForm: nameForm, soundKey: soundKey,
    skeleton: skeleton, keySkeleton: keySkeleton, nameKeys: nameKeys,
    queryKeys: queryKeys
  };
})(window);
