// "Lyssna": the main content read aloud by the reader's own device (Web Speech API).
// Only voices that run on the device (localService) are used, so the text goes nowhere; without
// one for the page's language (or a fallback language in data-voices) the control stays hidden.
// One utterance per sentence, so the sentence read can be highlighted and pausing is exact on
// every engine: pause cancels and resume reads the sentence again.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var box = document.querySelector("[data-listen]");
  var main = document.querySelector("main");
  if (!synth || !box || !main || !window.SpeechSynthesisUtterance) return;
  var root = document.documentElement;
  var langs = box.getAttribute("data-voices").split(" ");
  var buttons = {};
  ["start", "pause", "resume", "stop", "slow"].forEach(function (name) {
    buttons[name] = box.querySelector(".listen-" + name);
  });
  var BLOCK = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,td,th,caption,figcaption,blockquote,summary";
  var SKIP = "[hidden],[aria-hidden=true],[data-listen],.visually-hidden,script,style,.exit-bar";
  var END = /[.!?\u061f\u06d4\u1362\u1367]+(?=\s|$)/g;
  var marks = window.Highlight && window.CSS && CSS.highlights;
  var voice = null, units = [], at = 0, current = null, mode = "idle";

  // The first local voice for the first language that has one: the exact tag, else the same
  // language with a region or variant ("sv" -> "sv-SE"). Never a voice that is not local.
  function pick(voices, wanted) {
    for (var i = 0; i < wanted.length; i++) {
      var want = wanted[i].toLowerCase(), near = null;
      for (var j = 0; j < voices.length; j++) {
        var tag = String(voices[j].lang).toLowerCase().replace(/_/g, "-");
        if (voices[j].localService !== true) continue;
        if (tag === want) return {voice: voices[j], lang: wanted[i]};
        if (!near && tag.indexOf(want + "-") === 0) near = voices[j];
      }
      if (near) return {voice: near, lang: wanted[i]};
    }
    return null;
  }

  function check() {
    var found = pick(synth.getVoices(), langs);
    voice = found && found.voice;
    box.hidden = !found;
    [].forEach.call(box.querySelectorAll("[data-voice]"), function (line) {
      line.hidden = !found || line.getAttribute("data-voice") !== found.lang;
    });
    if (!found) stop();
  }

  // A phone number as the digits a caller dials, group by group: "020-50 50 50" -> "0 2 0, 5 0, ...".
  function digits(text) {
    return (text.match(/\d+/g) || []).map(function (group) { return group.split("").join(" "); }).join(", ");
  }

  function lang(element) {
    var marked = element.closest("[lang]");
    return marked ? marked.lang : root.lang;
  }

  function collect() {
    var list = [], unit = null, block = null;
    function flush() {
      if (unit && /[\p{L}\p{N}]/u.test(unit.text)) list.push((unit.text = unit.text.trim(), unit));
      unit = null;
    }
    function add(node, from, to, number) {
      var part = node.data.slice(from, to), start = part.search(/\S/);
      if (start < 0) { if (unit) unit.text += " "; return; }
      if (!unit) {
        unit = {range: document.createRange(), text: "", lang: lang(node.parentNode), block: block};
        unit.range.setStart(node, from + start);
      }
      unit.range.setEnd(node, to - (part.length - part.trimEnd().length));
      unit.text += number ? digits(part) : part;
    }
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) {
      var parent = node.parentNode;
      if (parent.closest(SKIP) || !parent.getClientRects().length) continue;
      var here = parent.closest(BLOCK) || parent;
      if (here !== block || (unit && unit.lang !== lang(parent))) flush();
      block = here;
      var number = parent.closest(".helpline-number"), from = 0, match;
      END.lastIndex = 0;
      while ((match = END.exec(node.data))) {
        add(node, from, match.index + match[0].length, number);
        flush();
        from = match.index + match[0].length;
      }
      add(node, from, node.data.length, number);
      if (number) flush();
    }
    flush();
    // The page's name first, then everything else in document order (a draft notice included).
    var h1 = main.querySelector("h1");
    return list.filter(function (u) { return u.block === h1; })
      .concat(list.filter(function (u) { return u.block !== h1; }));
  }

  function show(unit) {
    if (marks) unit ? marks.set("listen", new Highlight(unit.range)) : marks.delete("listen");
    if (!unit) return;
    var bar = document.querySelector(".exit-bar");
    var top = bar ? bar.getBoundingClientRect().bottom : 0;
    var rect = unit.range.getBoundingClientRect();
    if (rect.top < top || rect.bottom > window.innerHeight) window.scrollBy(0, rect.top - top - 16);
  }

  function state(next) {
    var focused = document.activeElement;
    mode = next;
    buttons.start.hidden = next !== "idle";
    buttons.pause.hidden = next !== "reading";
    buttons.resume.hidden = next !== "paused";
    buttons.stop.hidden = next === "idle";
    // Focus never stays on a button that has just been hidden.
    if (box.contains(focused) && focused.hidden) buttons[{idle: "start", reading: "pause", paused: "resume"}[next]].focus();
  }

  function speak() {
    var unit = units[at];
    // The quick exit cancels speech itself (exit.js); the engine then ends the utterance, and
    // nothing may follow it while the page is leaving.
    if (!unit || root.classList.contains("exiting")) return stop();
    var own = unit.lang === root.lang ? null : pick(synth.getVoices(), [unit.lang]);
    var utterance = new SpeechSynthesisUtterance(unit.text);
    utterance.voice = own ? own.voice : voice;
    utterance.lang = utterance.voice.lang;
    utterance.rate = buttons.slow.getAttribute("aria-pressed") === "true" ? 0.7 : 1;
    utterance.onend = function () {
      if (utterance !== current) return;
      at += 1;
      speak();
    };
    utterance.onerror = function () {
      if (utterance === current) stop();
    };
    current = utterance;
    show(unit);
    synth.speak(utterance);
  }

  // Cancelling makes the engine end the utterance; current = null first, so nothing follows it.
  function silence() {
    current = null;
    synth.cancel();
  }

  function stop() {
    if (mode === "idle") return;
    silence();
    at = 0;
    show(null);
    state("idle");
  }

  function pause() {
    if (mode !== "reading") return;
    silence();
    state("paused");
  }

  function start() {
    if (!voice) return;
    units = collect();
    at = 0;
    state("reading");
    speak();
  }

  buttons.start.addEventListener("click", start);
  buttons.pause.addEventListener("click", pause);
  buttons.resume.addEventListener("click", function () {
    state("reading");
    speak();
  });
  buttons.stop.addEventListener("click", stop);
  buttons.slow.addEventListener("click", function () {
    var slow = buttons.slow.getAttribute("aria-pressed") !== "true";
    buttons.slow.setAttribute("aria-pressed", String(slow));
  });
  // Speech never outlives the page: leaving stops it, hiding the tab pauses it, and a page
  // restored from the back/forward cache is silent.
  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    silence();
    stop();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) pause();
  });
  synth.addEventListener("voiceschanged", check);
  check();
})();
