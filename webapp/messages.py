"""Messages the server says outside the page templates (errors answered as plain text).

Marked with N_ so extraction finds them; translated at the moment of answering.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    return message


METHOD_NOT_ALLOWED = N_("Metoden är inte tillåten. Sidorna kan bara hämtas med GET eller HEAD.")
BAD_REQUEST = N_("Förfrågan kunde inte tolkas. Kontrollera adressen och försök igen.")
SERVER_ERROR = N_("Något gick fel. Försök igen om en stund. Om du är i fara, ring 112.")
