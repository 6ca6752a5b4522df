"""The one registry of page types: what each is called, where it lives, what it shows.

Routing, rendering, the static export and its nginx configuration, the templates' links and the
tests all derive from PAGES. Adding a page type means one entry here, one template
(templates/pages/<name>.html) and its messages; everything else follows.
"""

from __future__ import annotations

from dataclasses import dataclass

# The data a page's template can ask for: webapp.facts reads the first three from webapp/data/;
# review states come from the review records, worked out only for a page that shows them.
Data = str
HELPLINES: Data = "helplines"
ORGANISATIONS: Data = "organisations"
ASSESSMENT: Data = "assessment"
REVIEW_STATES: Data = "review_states"


@dataclass(frozen=True)
class Page:
    """One page type. Arguments that name a page and a locale always come as (locale, page)."""

    name: str
    segment: str  # the URL after /{code}/: "" is the main page, /sv/
    export_name: str  # the file in a static export: sv/index.html
    label: str  # what tools call it (the review sheet), in Swedish and English
    indexable: bool = True
    reads_aloud: bool = False  # offers "Lyssna" (webapp/static/listen.js)
    data: tuple[Data, ...] = ()

    @property
    def shows_help(self) -> bool:
        """Whether the page shows the helplines (its template's help box, with the draft notice after it)."""
        return HELPLINES in self.data

    def path(self, code: str) -> str:
        return f"/{code}/{self.segment}"

    def export_file(self, code: str) -> str:
        return f"{code}/{self.export_name}.html"


STANDARD = Page(
    "standard",
    "",
    "index",
    "Samverkan mot våld (huvudsidan, main page)",
    reads_aloud=True,
    data=(HELPLINES, ORGANISATIONS),
)
PLAIN = Page("plain", "plain", "plain", "Lättläst (easy to read)", reads_aloud=True, data=(HELPLINES, ORGANISATIONS))
SAFETY = Page("safety", "safety", "safety", "Surfa säkrare (browse more safely)", reads_aloud=True, data=(HELPLINES,))
ACCESSIBILITY = Page(
    "accessibility",
    "accessibility",
    "accessibility",
    "Tillgänglighetsredogörelse (accessibility statement)",
    data=(ASSESSMENT, HELPLINES),
)
LANGUAGES = Page("languages", "languages", "languages", "Välj språk (languages)", data=(REVIEW_STATES, HELPLINES))
PAGES: tuple[Page, ...] = (STANDARD, PLAIN, SAFETY, ACCESSIBILITY, LANGUAGES)
# Not at a URL of its own: the answer to any path that is not a page, in the best language.
NOT_FOUND = Page("not_found", "", "404", "Sidan finns inte (404)", indexable=False, data=(HELPLINES,))

BY_NAME = {page.name: page for page in (*PAGES, NOT_FOUND)}
BY_SEGMENT = {page.segment: page for page in PAGES}
