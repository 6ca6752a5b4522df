// Quick exit and a history with no trail of this site. No dependencies, no inline code.
// Without this file the exit link still leaves (it is a plain link); with it:
// - leaving hides the page in the same frame, makes the title neutral and uses
//   location.replace, so the page is not kept as a history entry;
// - Shift pressed 3 times (each press within 5 s of the last) leaves too, announced at each press;
// - links between our own pages replace the history entry instead of adding one, so after a quick
//   exit the Back button goes to the page before the visit, never to one of ours.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  var status = document.getElementById("exit-status");
  if (!link || !status) return;
  var bar = link.closest("[data-exit-bar]");
  var urls = (link.getAttribute("data-exit-urls") || link.href).split(" ");
  var title = document.title;
  var presses = 0;
  var timer = 0;

  function say(text) {
    status.textContent = text || "";
  }

  function setPresses(count) {
    presses = count;
    bar.setAttribute("data-presses", String(count));
  }

  function leave(event) {
    if (event) event.preventDefault();
    var root = document.documentElement;
    root.classList.add("exiting");
    var overlay = document.createElement("div");
    overlay.className = "exit-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = status.getAttribute("data-msg-leaving");
    document.body.appendChild(overlay);
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

  document.addEventListener("keydown", function (event) {
    if (typing(event.target)) return;
    if (event.key !== "Shift") {
      if (presses) reset(false);
      return;
    }
    if (event.repeat) return;
    clearTimeout(timer);
    setPresses(presses + 1);
    if (presses >= 3) {
      say("");
      leave();
      return;
    }
    say(status.getAttribute("data-msg-" + (3 - presses)));
    timer = setTimeout(reset, 5000, true);
  });

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

  // Back/forward cache: a restored page shows itself again, never the blank leaving state.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.documentElement.classList.remove("exiting");
    var overlay = document.querySelector(".exit-overlay");
    if (overlay) overlay.remove();
    document.title = title;
    reset(false);
  });
})();
