// Quick exit and a history with no trail of this site. No dependencies, no inline code.
// Without this file the exit link still leaves (it is a plain link); with it:
// - leaving stops any speech, hides the page in the same frame, makes the title neutral and uses
//   location.replace, so the page is not kept as a history entry;
// - Shift pressed 3 times (each press within 5 s of the last) leaves too, announced at each press;
//   a press counts when Shift goes up with no other key pressed meanwhile, so Shift+Tab,
//   Shift+arrows and capital letters never count;
// - links between our own pages replace the history entry instead of adding one, so after a quick
//   exit the Back button goes to the page before the visit, never to one of ours;
// - the scroll padding follows the bar's real height (--exit-bar-size), so focus is never under it.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  var status = document.getElementById("exit-status");
  if (!link || !status) return;
  var root = document.documentElement;
  var bar = link.closest("[data-exit-bar]");
  var urls = (link.getAttribute("data-exit-urls") || link.href).split(" ");
  var title = document.title;
  var presses = 0;
  var timer = 0;
  var shiftDown = false;
  var modified = false;
  var leaving = false;

  function say(text) {
    status.textContent = text || "";
  }

  function setPresses(count) {
    presses = count;
    bar.setAttribute("data-presses", String(count));
  }

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    root.classList.add("exiting");
    var overlay = document.createElement("div");
    overlay.className = "exit-overlay";
    overlay.setAttribute("role", "alert");
    document.body.appendChild(overlay);
    // Text set after the alert is in the document, so that screen readers announce it.
    overlay.textContent = status.getAttribute("data-msg-leaving");
    document.title = status.getAttribute("data-msg-leaving") || "";
    window.location.replace(urls[Math.floor(Math.random() * urls.length)] || link.href);
  }

  function reset(expired) {
    clearTimeout(timer);
    setPresses(0);
    say(expired ? status.getAttribute("data-msg-expired") : "");
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function press() {
    clearTimeout(timer);
    setPresses(presses + 1);
    if (presses >= 3) {
      say("");
      leave();
      return;
    }
    say(status.getAttribute("data-msg-" + (3 - presses)));
    timer = setTimeout(reset, 5000, true);
  }

  function other() {
    modified = true;
    if (presses) reset(false);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") return other();
    if (!event.repeat) {
      shiftDown = true;
      modified = false;
    }
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    var counts = shiftDown && !modified && !typing(event.target);
    shiftDown = false;
    if (counts) press();
  }, true);

  document.addEventListener("mousedown", other, true);

  link.addEventListener("click", leave);

  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[href]");
    if (!a || a === link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (a.origin !== location.origin || a.target || a.hasAttribute("download")) return;
    event.preventDefault();
    var same = a.pathname === location.pathname && a.search === location.search;
    window.location.replace(a.href);
    if (same && a.hash) {
      var target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      if (target) target.focus();
    }
  });

  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      var size = bar.getBoundingClientRect().height;
      if (size) root.style.setProperty("--exit-bar-size", size + "px");
    }).observe(bar);
  }

  // Back/forward cache: a restored page shows itself again, never the blank leaving state.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false;
    root.classList.remove("exiting");
    var overlay = document.querySelector(".exit-overlay");
    if (overlay) overlay.remove();
    document.title = title;
    reset(false);
  });
})();
