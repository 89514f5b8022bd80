"""Find a municipality by what people type: its name or its CBS code.

"Heerlen", "heerlen", "GM0917" and "0917" all find Heerlen; accents, capitals,
hyphens, spaces and apostrophes do not count ("sittard geleen", "'s Hertogenbosch",
"Sudwest Fryslan"). A unique part of a name is enough ("Hertogenbosch"); when nothing
or more than one municipality fits, the error names the likely ones.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from django.utils.translation import gettext as _

from rits.regions.models import Municipality

_CODE = re.compile(r"^(?:gm)?(\d{4})$")
# Names everyone uses that are not the official one.
_ALIASES = {"denhaag": "GM0518", "denbosch": "GM0796"}
MAX_SUGGESTIONS = 5


def name_key(text: str) -> str:
    """Lower case, without accents and without anything but letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


class MunicipalityNotFound(LookupError):
    """Nothing fits ``text``, or several do; ``suggestions`` are names to offer."""

    def __init__(self, text: str, suggestions: list[str], *, several: bool) -> None:
        super().__init__(text)
        self.text = text
        self.suggestions = suggestions
        self.several = several

    def __str__(self) -> str:
        names = ", ".join(self.suggestions)
        if self.several:
            return _("“%(text)s” fits more than one municipality: %(names)s. Choose one.") % {
                "text": self.text,
                "names": names,
            }
        if self.suggestions:
            return _("No municipality is called “%(text)s”. Did you mean: %(names)s?") % {
                "text": self.text,
                "names": names,
            }
        return _(
            "No municipality is called “%(text)s”. Type its name (Heerlen) or its CBS code "
            "(GM0917)."
        ) % {"text": self.text}


def find_municipality(text: str) -> Municipality:
    """The one municipality ``text`` means; raises MunicipalityNotFound otherwise.

    Steps: a CBS code; an exact name (or a common alias); one name that contains what
    was typed; else the names closest to it."""
    text = text.strip()
    key = name_key(text)
    code = _CODE.match(key)
    if code:
        found = Municipality.objects.select_related("region").filter(code=f"GM{code[1]}").first()
        if found is not None:
            return found
        raise MunicipalityNotFound(text, [], several=False)
    if not key:
        raise MunicipalityNotFound(text, [], several=False)
    names = dict(Municipality.objects.values_list("code", "name"))
    by_key = {name_key(name): code for code, name in names.items()}
    exact = by_key.get(key) or _ALIASES.get(key)
    if exact:
        return Municipality.objects.select_related("region").get(code=exact)
    containing = sorted(
        (code for k, code in by_key.items() if key in k and len(key) >= 3),
        key=lambda c: (not name_key(names[c]).startswith(key), names[c]),
    )
    if len(containing) == 1:
        return Municipality.objects.select_related("region").get(code=containing[0])
    if containing:
        shown = [names[c] for c in containing[:MAX_SUGGESTIONS]]
        raise MunicipalityNotFound(text, shown, several=True)
    close = difflib.get_close_matches(key, by_key, n=MAX_SUGGESTIONS, cutoff=0.75)
    raise MunicipalityNotFound(text, [names[by_key[k]] for k in close], several=False)
