"""The organisation's own look and layout: logo, colour, contact details, sections shown.

Two places, the second winning key by key:

1. the settings file (``--config``), sections ``report`` and ``branding``
   (:class:`edi_reports.config.ReportLayout`, :class:`edi_reports.config.Branding`), for
   every organisation built with it;
2. the organisation's ``report.yml`` in ``content/<ORG>/<YEAR>/`` or ``content/<ORG>/``
   (most specific first), with the same two sections::

       report:
         sections: [introduction, summary, gender_pay_gap, wres, wdes, contact, privacy]
       branding:
         logo: logo.png            # a PNG or JPEG beside report.yml, at most 200 KB
         logo_alt: Example NHS Foundation Trust logo
         colour: "#00594C"         # 4.5:1 or more against white (WCAG 2.2 AA)
         contact_email: equality@example.nhs.uk

The logo is read from inside the organisation's content folder only (no absolute path, no
``..``, no link out of the folder), checked to be a PNG or JPEG by its first bytes, and
embedded in the page, so the page stays one self-contained file.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from edi_reports.config import Branding, Paths, ReportLayout, Settings
from edi_reports.config_validate import RULES, SettingsError, contrast_ratio, validate_settings

__all__ = [
    "LOGO_MAX_BYTES",
    "MIN_CONTRAST",
    "Brand",
    "contrast_ratio",
    "darker",
    "load_branding",
    "load_layout",
]

#: Largest logo file accepted (bytes): a logo is embedded in every page and PDF.
LOGO_MAX_BYTES = 200_000
#: WCAG 2.2 AA contrast for normal text (success criterion 1.4.3).
MIN_CONTRAST = 4.5
_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_OWN_RULES = {
    k: v
    for k, v in RULES.items()
    if k.startswith(("report.", "branding.")) and k != "report.directorates"
}
REPORT_YML = "report.yml"


@dataclass(frozen=True)
class Brand:
    """Resolved branding of one report, ready for the page shell and the PDF."""

    colour: str | None = None
    colour_dark: str | None = None
    logo_mime: str | None = None
    logo_base64: str | None = None
    logo_alt: str = ""
    logo_file: str = ""
    contact: tuple[tuple[str, str], ...] = ()

    @property
    def logo_data_uri(self) -> str:
        return f"data:{self.logo_mime};base64,{self.logo_base64}" if self.logo_base64 else ""

    @property
    def logo_bytes(self) -> bytes:
        return base64.b64decode(self.logo_base64) if self.logo_base64 else b""


def darker(colour: str, factor: float = 0.7) -> str:
    """The same hue, darker (the hover colour of links)."""
    parts = [int(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{p:02X}" for p in parts)


def _org_file(paths: Paths, org: str, year: int) -> Path | None:
    for folder in paths.content_for(org, year):
        if (folder / REPORT_YML).is_file():
            return folder / REPORT_YML
    return None


def _org_values(paths: Paths, org: str, year: int) -> tuple[dict[str, Any], Path | None]:
    path = _org_file(paths, org, year)
    if path is None:
        return {}, None
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(
            f"{path}: not valid YAML\n  How to fix: write 'report:' or 'branding:' lines with "
            "'  key: value' lines indented under them (see docs/report-layout.md)."
        ) from exc
    validate_settings(values, str(path), rules=_OWN_RULES)
    return values, path


def _merged(section: str, base: Any, values: dict[str, Any]) -> Any:
    own = values.get(section) or {}
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in own.items()}
    return dataclasses.replace(base, **converted)


def load_layout(paths: Paths, org: str, year: int, settings: Settings) -> ReportLayout:
    """The sections to show, in order: the settings file, then the organisation's
    ``report.yml``."""
    values, _ = _org_values(paths, org, year)
    return _merged("report", settings.report, values)


def _logo(path_text: str, alt: str | None, folder: Path, source: str) -> tuple[str, str, str]:
    """``(mime, base64, file name)`` of a checked logo file."""
    if not alt or not alt.strip():
        raise SettingsError(
            f"{source}: branding.logo is set but branding.logo_alt is empty\n"
            "  How to fix: add 'logo_alt:' with what the logo says, e.g. "
            "'Example NHS Foundation Trust logo'."
        )
    base = folder.resolve()
    target = (folder / path_text).resolve()
    if base not in target.parents:
        raise SettingsError(
            f"{source}: branding.logo {path_text!r} is not inside {folder}\n"
            "  How to fix: put the logo file in the organisation's content folder and give "
            "its name only."
        )
    if not target.is_file():
        raise SettingsError(
            f"{source}: branding.logo {path_text!r} was not found in {folder}\n"
            "  How to fix: put the file there, or correct its name."
        )
    size = target.stat().st_size
    if size > LOGO_MAX_BYTES:
        raise SettingsError(
            f"{source}: branding.logo {path_text!r} is {size:,} bytes; at most "
            f"{LOGO_MAX_BYTES:,} are accepted\n"
            "  How to fix: save a smaller PNG or JPEG (about 400 pixels wide is plenty)."
        )
    data = target.read_bytes()
    mime = next((m for magic, m in _MAGIC.items() if data.startswith(magic)), None)
    if mime is None:
        raise SettingsError(
            f"{source}: branding.logo {path_text!r} is not a PNG or JPEG image\n"
            "  How to fix: export the logo as PNG or JPEG."
        )
    return mime, base64.b64encode(data).decode("ascii"), target.name


def load_branding(paths: Paths, org: str, year: int, settings: Settings) -> Brand:
    """The organisation's branding, checked (logo file, alt text, colour contrast).

    Raises
    ------
    SettingsError
        Naming the file and key: a logo outside the content folder, missing, too large or
        not an image; a logo without alt text; a colour below 4.5:1 against white.
    """
    values, org_path = _org_values(paths, org, year)
    b: Branding = _merged("branding", settings.branding, values)
    own = (values.get("branding") or {}) if values else {}
    source = str(org_path) if org_path is not None else "settings (branding)"
    colour = dark = None
    if b.colour:
        ratio = contrast_ratio(b.colour)
        if ratio < MIN_CONTRAST:
            where = str(org_path) if "colour" in own else "settings"
            raise SettingsError(
                f"{where}: branding.colour {b.colour} has a contrast of {ratio:.2f}:1 with "
                f"white; at least {MIN_CONTRAST}:1 is needed (WCAG 2.2 AA), because headings, "
                "links and the header band use it with white\n"
                "  How to fix: choose a darker shade of the colour."
            )
        colour, dark = b.colour.upper(), darker(b.colour)
    mime = data = None
    name = ""
    if b.logo:
        folder = org_path.parent if (org_path is not None and "logo" in own) else None
        if folder is None:  # a logo named in the settings file: the organisation's folder
            folder = paths.content / org
        mime, data, name = _logo(b.logo, b.logo_alt, folder, source)
    contact = tuple(
        (label, value)
        for label, value in (
            ("Contact", b.contact_name),
            ("Email", b.contact_email),
            ("Telephone", b.contact_phone),
            ("Website", b.contact_web),
        )
        if value
    )
    return Brand(
        colour=colour,
        colour_dark=dark,
        logo_mime=mime,
        logo_base64=data,
        logo_alt=(b.logo_alt or "").strip(),
        logo_file=name,
        contact=contact,
    )
