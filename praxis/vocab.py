"""The fixed vocabularies: note kinds, visibility levels and licences."""

from __future__ import annotations

from typing import Literal, NamedTuple

from praxis.i18n import N_

Kind = Literal["note", "organisation", "term"]
KINDS: tuple[str, ...] = ("note", "organisation", "term")

Visibility = Literal["public", "community", "restricted"]
VISIBILITIES: tuple[str, ...] = ("public", "community", "restricted")


class Licence(NamedTuple):
    id: str
    name: str
    url: str | None


_CC = "https://creativecommons.org/licenses/{}/4.0/deed.fr"
LICENCES: dict[str, Licence] = {
    lic.id: lic
    for lic in (
        Licence("CC-BY-4.0", N_("Creative Commons Attribution 4.0 International"), _CC.format("by")),
        Licence(
            "CC-BY-SA-4.0",
            N_("Creative Commons Attribution - Partage dans les mêmes conditions 4.0 International"),
            _CC.format("by-sa"),
        ),
        Licence(
            "CC-BY-NC-4.0",
            N_("Creative Commons Attribution - Pas d'utilisation commerciale 4.0 International"),
            _CC.format("by-nc"),
        ),
        Licence(
            "CC-BY-NC-SA-4.0",
            N_(
                "Creative Commons Attribution - Pas d'utilisation commerciale - Partage dans les mêmes conditions 4.0 International"
            ),
            _CC.format("by-nc-sa"),
        ),
        Licence(
            "CC-BY-ND-4.0",
            N_("Creative Commons Attribution - Pas de modification 4.0 International"),
            _CC.format("by-nd"),
        ),
        Licence(
            "CC-BY-NC-ND-4.0",
            N_("Creative Commons Attribution - Pas d'utilisation commerciale - Pas de modification 4.0 International"),
            _CC.format("by-nc-nd"),
        ),
        Licence(
            "CC0-1.0",
            N_("CC0 1.0 Universel (domaine public)"),
            "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
        ),
        Licence("all-rights-reserved", N_("Tous droits réservés"), None),
    )
}
LicenceId = Literal[
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0",
    "CC0-1.0",
    "all-rights-reserved",
]
DEFAULT_LICENCE: LicenceId = "CC-BY-SA-4.0"
