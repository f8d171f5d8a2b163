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


class LicenceLabel(NamedTuple):
    short: str  # the name people know it by
    gist: str  # what it lets others do, in a few words


# How the editor offers each licence: by name, with what it allows (the SPDX id is only the value).
LICENCE_LABELS: dict[str, LicenceLabel] = {
    "CC-BY-4.0": LicenceLabel("CC BY 4.0", N_("réutilisation permise, en citant")),
    "CC-BY-SA-4.0": LicenceLabel("CC BY-SA 4.0", N_("réutilisation permise, même licence, en citant")),
    "CC-BY-NC-4.0": LicenceLabel("CC BY-NC 4.0", N_("réutilisation non commerciale, en citant")),
    "CC-BY-NC-SA-4.0": LicenceLabel("CC BY-NC-SA 4.0", N_("réutilisation non commerciale, même licence, en citant")),
    "CC-BY-ND-4.0": LicenceLabel("CC BY-ND 4.0", N_("partage sans modification, en citant")),
    "CC-BY-NC-ND-4.0": LicenceLabel("CC BY-NC-ND 4.0", N_("partage non commercial, sans modification, en citant")),
    "CC0-1.0": LicenceLabel("CC0 1.0", N_("domaine public : toute réutilisation, sans condition")),
    "all-rights-reserved": LicenceLabel(
        N_("Tous droits réservés"), N_("aucune réutilisation sans l'accord des auteur·trices")
    ),
}
