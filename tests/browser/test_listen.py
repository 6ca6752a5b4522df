"""Lyssna in a real browser with real speech (issue 12): Chromium speaking through speech-dispatcher
and eSpeak NG (tests/browser/speech.py). What the page asks the engine to say is recorded by
wrapping speechSynthesis.speak and cancel; the engine itself is never replaced. That no page shows
the control without JavaScript is checked in the pass without it over every page, in
tests/browser/test_large_text.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe
from tests.browser.conftest import OUTSIDE_PAGE, make_context
from tests.browser.sample import SAMPLE
from tests.browser.speech import RECORDER
from tests.tools import nu_checker
from webapp import facts
from webapp.locales import LOCALES, PUBLISHED
from webapp.pages import PAGES as PAGE_TYPES
from webapp.pages import STANDARD
from webapp.settings import DEFAULT_EXIT_URLS

BEFORE = "https://before.example/"
# Every page type that offers "Lyssna" (webapp/pages.py).
READ_ALOUD = [kind for kind in PAGE_TYPES if kind.reads_aloud]
# Debian's eSpeak NG, as speech-dispatcher lists it to Chromium, has voices for these, and not those.
VOICED = {"sv", "ar", "fa", "fi", "pl", "bs", "tr", "uk", "en"}
UNVOICED = {"so", "ti", "se", "fit", "rom", "yi"}
VOICES = """() => new Promise((resolve) => {
  const list = () => speechSynthesis.getVoices().map(v => ({name: v.name, lang: v.lang, local: v.localService}));
  if (speechSynthesis.getVoices().length) return resolve(list());
  speechSynthesis.addEventListener('voiceschanged', () => resolve(list()), {once: true});
})"""
# The same wait as VOICES, without sending some 13,000 voices back to the test on every page.
VOICES_READY = """() => new Promise((resolve) => {
  if (speechSynthesis.getVoices().length) return resolve(true);
  speechSynthesis.addEventListener('voiceschanged', () => resolve(true), {once: true});
})"""
DONE = "() => !document.querySelector('.listen-start').hidden && window.__speech.some(e => e.event === 'speak')"


@pytest.fixture
def speaking(speech_browser: Any, base_url: str) -> Iterator[Any]:
    """A context of the speaking browser that records every utterance the page asks for. It routes
    no request (a route turns the browser's cache off and holds every request in Python); a test
    that leads outside routes what it visits there."""
    context = make_context(speech_browser, base_url, viewport={"width": 1024, "height": 700})
    context.add_init_script(RECORDER)
    yield context
    context.close()


def voiced(voices: list[dict[str, Any]], tags: tuple[str, ...]) -> str | None:
    """The first of the languages that has a local voice, matched as the issue says (a tag, or
    the tag followed by a region or variant): the expectation, derived from the browser's list."""
    for tag in tags:
        if any(v["local"] and (v["lang"].lower() == tag or v["lang"].lower().startswith(tag + "-")) for v in voices):
            return tag
    return None


def spoken(page: Any) -> list[dict[str, Any]]:
    return [e for e in page.evaluate("window.__speech") if e["event"] == "speak"]


def read_all(page: Any, path: str) -> list[dict[str, Any]]:
    page.goto(path)
    page.locator(".listen-start").click()
    page.wait_for_function(DONE, timeout=90_000)
    return spoken(page)


def letters(text: str) -> list[str]:
    """Every letter, in order of sorting: an Arabic prefix such as و joined to a Swedish name is one
    word on the page but two utterances (each in its own voice), so words cannot be compared."""
    return sorted("".join(re.findall(r"[^\W\d_]+", text)))


def flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def dialled(number: str) -> str:
    return ", ".join(" ".join(group) for group in re.findall(r"\d+", number))


def as_shown(text: str) -> str:
    """An utterance as the page shows it: phone numbers as written, not as dialled."""
    text = flatten(text)
    for line in facts.helplines():
        text = text.replace(dialled(line.number), line.number)
    return text


def test_control_appears_exactly_where_a_local_voice_exists(speaking: Any) -> None:
    page = speaking.new_page()
    page.goto("/sv/")
    voices = page.evaluate(VOICES)
    found = {info.code: voiced(voices, info.voices) for info in PUBLISHED}
    with_voice = sorted(code for code, tag in found.items() if tag)
    print(
        f"\n{len(voices)} voices, all local: {all(v['local'] for v in voices)}; "
        f"locales with a local voice here: {' '.join(with_voice)}; "
        f"without: {' '.join(sorted(set(found) - set(with_voice)))}; "
        f"by fallback: {', '.join(f'{c} -> {t}' for c, t in found.items() if t and t != c)}"
    )
    assert set(with_voice) >= VOICED
    assert not UNVOICED & set(with_voice)
    # The control depends on the locale's voices, not the page: every locale on the main page,
    # the sample on the other pages that read aloud.
    checked = [(info, kind) for info in PUBLISHED for kind in READ_ALOUD if kind is STANDARD or info.code in SAMPLE]
    for info, kind in checked:
        page.goto(kind.path(info.code))
        page.evaluate(VOICES_READY)
        assert page.locator("[data-listen]").is_visible() == bool(found[info.code]), (kind.name, info.code)
        shown = page.locator(".listen-fallback:visible")
        assert shown.count() == int(found[info.code] not in (None, info.code))


def test_dari_and_kurmanji_say_which_language_the_voice_speaks(speaking: Any) -> None:
    page = speaking.new_page()
    for code, tag in (("prs", "fa"), ("kmr", "ku")):
        page.goto(f"/{code}/")
        page.evaluate(VOICES_READY)
        line = page.locator(".listen-fallback")
        fallback = LOCALES[code].fallback_voices[0]
        assert line.is_visible() and line.get_attribute("data-voice") == tag == fallback.tag
        name = line.locator(f"[lang='{tag}']")
        assert name.text_content() == fallback.endonym
        assert name.get_attribute("dir") == fallback.direction


SYNTHETIC = """(voices) => {
  Object.defineProperty(speechSynthesis, 'getVoices', {value: () => voices, configurable: true});
  speechSynthesis.dispatchEvent(new Event('voiceschanged'));
}"""


def voice(lang: str, local: bool, name: str = "") -> dict[str, Any]:
    return {"name": name or f"voice {lang}", "lang": lang, "localService": local, "default": False, "voiceURI": lang}


@pytest.mark.parametrize(
    ("code", "voices", "shown", "fallback"),
    [
        ("sv", [voice("sv-SE", False, "Google svenska"), voice("en-US", False), voice("sv", False)], False, None),
        ("sv", [voice("en", True), voice("nb", True), voice("sv-SE", False)], False, None),
        ("sv", [voice("en", True), voice("sv-SE", True)], True, None),
        ("sv", [voice("sv_SE", True)], True, None),
        ("ar", [voice("ar-SA", False), voice("sv", True)], False, None),
        ("prs", [voice("fa-IR", False), voice("prs", False)], False, None),
        ("prs", [voice("fa-IR", True)], True, "fa"),
        ("prs", [voice("fa", True), voice("prs-AF", True)], True, None),
        ("kmr", [voice("ku", True)], True, "ku"),
        ("so", [voice("sv", True), voice("ar", True)], False, None),
    ],
)
def test_selection_uses_only_local_voices(
    page: Any, code: str, voices: list[dict[str, Any]], shown: bool, fallback: str | None
) -> None:
    """The page's own selection, driven with a synthetic voice list (the headless browser has none)."""
    page.goto(f"/{code}/")
    assert not page.locator("[data-listen]").is_visible()
    page.evaluate(SYNTHETIC, voices)
    assert page.locator("[data-listen]").is_visible() == shown
    lines = page.locator(".listen-fallback:visible")
    assert [lines.nth(i).get_attribute("data-voice") for i in range(lines.count())] == ([fallback] if fallback else [])


def test_voices_that_arrive_late_or_go_away(page: Any) -> None:
    page.goto("/sv/")
    page.evaluate(SYNTHETIC, [voice("sv-SE", True)])
    assert page.locator("[data-listen]").is_visible()
    page.evaluate(SYNTHETIC, [voice("sv-SE", False)])
    assert not page.locator("[data-listen]").is_visible()


@pytest.mark.parametrize("code", ["sv", "ar"])
def test_reads_the_page_in_order_with_numbers_dialled_and_swedish_in_swedish(speaking: Any, code: str) -> None:
    page = speaking.new_page()
    said = read_all(page, f"/{code}/")
    texts = [e["text"] for e in said]
    assert texts[0] == page.locator("main h1").inner_text()
    assert all(e["local"] is True and "error" not in e and e.get("ended") for e in said)
    numbers = {dialled(line.number): line.number for line in facts.helplines()}
    for number in numbers:
        assert any(t == number or t.endswith(" " + number) for t in texts), number
    # Reading order: the h1, then every utterance (numbers as shown) stands in the rendered text
    # of <main> without the control, each after the one before; together they say all its words.
    rendered = page.evaluate("""() => { const box = document.querySelector('[data-listen]');
        box.hidden = true; const text = document.querySelector('main').innerText;
        box.hidden = false; return text; }""")
    flat = flatten(rendered).replace(flatten(texts[0]), "", 1)
    position = 0
    for text in texts[1:]:
        shown = as_shown(text)
        found = flat.find(shown, position)
        assert found >= position, (shown, flat[position : position + 200])
        position = found + len(shown)
    assert letters(" ".join(texts)) == letters(rendered)
    # Passages marked in another language (Swedish names, English terms) are said in that language.
    marked = page.evaluate("""() => [...document.querySelectorAll('main [lang]')]
        .filter(e => !e.closest('[data-listen]'))
        .map(e => [e.innerText.replace(/\\s+/g, ' ').trim(), e.lang])""")
    for entry in said:
        langs = [lang for passage, lang in marked if lang != code and entry["text"].strip() in passage]
        assert entry["voiceLang"].split("-")[0] == (langs[0] if langs else code), entry
    if code == "ar":
        assert any(e["text"].startswith("Översättningen är ett utkast") and e["voiceLang"] == "sv" for e in said)


def wait_for_speech(page: Any, more_than: int) -> None:
    """Until the page has asked for more than this many utterances (a function: the pages' CSP
    forbids the eval Playwright would use for an expression)."""
    page.wait_for_function("(n) => window.__speech.filter(e => e.event === 'speak').length > n", arg=more_than)


def start_by_keyboard(page: Any, path: str) -> None:
    page.goto(path)
    page.evaluate(VOICES_READY)
    page.locator(".listen-start").focus()
    page.keyboard.press("Enter")
    wait_for_speech(page, 1)


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.className"))


def assert_silent(page: Any) -> int:
    """Nothing more is said for a second; returns how much had been said."""
    said = len(spoken(page))
    page.wait_for_timeout(1000)
    assert len(spoken(page)) == said
    return said


def test_pause_resume_speed_and_stop_by_keyboard(speaking: Any) -> None:
    page = speaking.new_page()
    start_by_keyboard(page, "/sv/")
    assert focused(page) == "listen-pause"
    page.keyboard.press("Enter")
    assert focused(page) == "listen-resume"
    paused = assert_silent(page)
    assert page.evaluate("window.__speech.at(-1).event") == "cancel"
    last = spoken(page)[-1]["text"]
    page.keyboard.press("Space")
    assert focused(page) == "listen-pause"
    wait_for_speech(page, paused)
    assert spoken(page)[paused]["text"] == last
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "listen-slow"
    before = len(spoken(page))
    page.keyboard.press("Space")
    assert page.locator(".listen-slow").get_attribute("aria-pressed") == "true"
    # The sentence being read ends at its rate (one more may start while the key goes down); the
    # next one is slow, and so is every one after it.
    page.wait_for_function("() => window.__speech.some(e => e.event === 'speak' && e.rate !== 1)")
    rates = [e["rate"] for e in spoken(page)]
    slowed = next(i for i, rate in enumerate(rates) if rate != 1)
    assert slowed >= before and rates[slowed:] == pytest.approx([0.7] * (len(rates) - slowed))
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "listen-stop"
    page.keyboard.press("Enter")
    assert focused(page) == "listen-start"
    stopped = assert_silent(page)
    assert page.evaluate("CSS.highlights.has('listen')") is False
    page.keyboard.press("Enter")
    wait_for_speech(page, stopped)
    assert spoken(page)[stopped]["text"] == page.locator("main h1").inner_text()


HIGHLIGHT = """() => {
  const range = CSS.highlights.has('listen') && [...CSS.highlights.get('listen')][0];
  if (!range) return null;
  const r = range.getBoundingClientRect();
  return {text: range.toString(), top: r.top, bottom: r.bottom,
          bar: document.querySelector('.exit-bar').getBoundingClientRect().bottom, height: innerHeight,
          scroll: scrollY};
}"""


def test_highlight_moves_with_the_voice_and_stays_below_the_exit_bar(speech_browser: Any, base_url: str) -> None:
    """At 320 px, where the exit bar is tallest and the page longest."""
    context = make_context(speech_browser, base_url, viewport={"width": 320, "height": 600})
    context.add_init_script(RECORDER)
    context.add_init_script(f"""(() => {{ const speak = speechSynthesis.speak;
        speechSynthesis.speak = (u) => {{ speak(u); window.__speech.at(-1).mark = ({HIGHLIGHT})(); }}; }})();""")
    page = context.new_page()
    said = read_all(page, "/sv/")
    marks = [e["mark"] for e in said]
    where = [m["top"] + m["scroll"] for m in marks]
    assert where == sorted(where) and len(set(where)) > len(said) / 2
    for entry, mark in zip(said, marks, strict=True):
        assert flatten(mark["text"]) == as_shown(entry["text"])
        assert mark["top"] >= mark["bar"] and mark["bottom"] <= mark["height"], (entry["text"], mark)
    assert marks[-1]["scroll"] > 0
    context.close()


def outside(context: Any, events: list[str]) -> None:
    """The page before ours and the quick exit's destinations, answered here; leaving is recorded."""

    def route(route: Any) -> None:
        if not route.request.url.startswith(BEFORE):
            events.append("navigate")
        route.fulfill(status=200, content_type="text/html", body=OUTSIDE_PAGE)

    for destination in (BEFORE, *DEFAULT_EXIT_URLS):
        context.route(destination + "**", route)


@pytest.mark.parametrize("how", ["click", "shift"])
def test_quick_exit_silences_the_page_before_leaving(speaking: Any, how: str) -> None:
    events: list[str] = []
    speaking.expose_function("__record", lambda event: events.append(event))
    speaking.add_init_script("""(() => { const c = speechSynthesis.cancel, s = speechSynthesis.speak;
        speechSynthesis.cancel = () => { window.__record('cancel'); c(); };
        speechSynthesis.speak = (u) => { window.__record('speak'); s(u); }; })();""")
    outside(speaking, events)
    page = speaking.new_page()
    page.goto(BEFORE)
    start_by_keyboard(page, "/sv/")
    if how == "click":
        page.locator("#quick-exit").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(lambda url: any(url.startswith(d) for d in DEFAULT_EXIT_URLS))
    assert "navigate" in events
    before = events[: events.index("navigate")]
    assert before[-1] == "cancel", events
    assert "speak" not in events[events.index("navigate") :]
    page.go_back()
    assert page.url == BEFORE


def test_leaving_or_hiding_the_page_silences_it_and_a_restored_page_is_silent(speaking: Any) -> None:
    page = speaking.new_page()
    start_by_keyboard(page, "/sv/")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # not hidden: nothing
    assert page.locator(".listen-pause").is_visible()
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); delete document.hidden; }""")
    assert page.locator(".listen-resume").is_visible()
    assert page.evaluate("window.__speech.at(-1).event") == "cancel"
    page.locator(".listen-resume").click()
    page.wait_for_function("() => window.__speech.at(-1).event === 'speak'")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
    assert page.evaluate("window.__speech.at(-1).event") == "cancel"
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert page.evaluate("window.__speech.at(-1).event") == "cancel"
    assert page.locator(".listen-start").is_visible() and not page.locator(".listen-stop").is_visible()
    assert page.evaluate("CSS.highlights.has('listen')") is False
    count = len(page.evaluate("window.__speech"))
    page.wait_for_timeout(500)
    assert len(page.evaluate("window.__speech")) == count


def test_axe_and_nu_checker_find_nothing_with_the_control_shown(speaking: Any, tmp_path: Path) -> None:
    """Before and during reading: Swedish on every page that reads aloud (the control is the same
    component on each), Arabic (right to left) and Dari (a fallback voice's line) on the main page;
    the Nu checker reads them all in one run."""
    page = axe.add_to(speaking).new_page()
    files = []
    for code, kind in [("sv", kind) for kind in READ_ALOUD] + [("ar", STANDARD), ("prs", STANDARD)]:
        page.goto(kind.path(code))
        page.locator("[data-listen]").wait_for(state="visible")
        for during in (False, True):
            if during:
                page.locator(".listen-start").click()
                wait_for_speech(page, 0)
                page.locator(".listen-pause").click()
            assert axe.violations(page) == [], (code, kind.name, during)
        page.locator(".listen-stop").click()
        file = tmp_path / f"{code}-{kind.name}.html"
        file.write_text(page.content())
        files.append(file)
    returncode, messages = nu_checker(files)
    assert returncode == 0 and messages == [], messages


@pytest.mark.parametrize("code", ["sv", "ar"])
def test_activation_starts_speech(speaking: Any, code: str) -> None:
    """The engine reports the first utterance started after the click; the time it took is printed
    as a figure, not asserted (these machines are shared)."""
    page = speaking.new_page()
    page.goto(f"/{code}/")
    page.evaluate(VOICES_READY)
    clicked = page.evaluate("""() => { const t = performance.now();
        document.querySelector('.listen-start').click(); return t; }""")
    page.wait_for_function("() => window.__speech.some(e => e.started)")
    took = spoken(page)[0]["started"] - clicked
    print(f"\n/{code}/: activation to speech start: {took:.0f} ms")
    assert took > 0
