"""Messages said outside the page templates: errors answered as plain text, and the printed poster.

Marked with N_ so extraction finds them; translated at the moment of answering.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    return message


METHOD_NOT_ALLOWED = N_("Metoden är inte tillåten. Sidorna kan bara hämtas med GET eller HEAD.")
BAD_REQUEST = N_("Förfrågan kunde inte tolkas. Kontrollera adressen och försök igen.")
SERVER_ERROR = N_("Något gick fel. Försök igen om en stund. Om du är i fara, ring 112.")
# Translators: one line on a printed poster that lists every language, each line in its own
# language beside the address of the site in that language. Say it as your language would.
POSTER_LINE = N_("Här finns information och hjälp på ditt språk.")
