"""Looking an organisation up where a build starts (edi_reports.intake.organisations).

Spec: data contract §2 (``organisations.csv``; the synthetic-data mark ``<raw>/<ORG>/SYNTHETIC``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from edi_reports.intake import synth
from edi_reports.intake.organisations import SYNTHETIC_MARKER, is_synthetic


def test_the_mark_is_the_file_the_generator_writes(tmp_path: Path) -> None:
    assert synth.SYNTHETIC_MARKER == SYNTHETIC_MARKER == "SYNTHETIC"
    assert synth.is_synthetic is is_synthetic
    (tmp_path / "ABC").mkdir()
    assert not is_synthetic(tmp_path, "ABC")
    (tmp_path / "ABC" / SYNTHETIC_MARKER).write_text("synthetic\n", encoding="utf-8")
    assert is_synthetic(tmp_path, "ABC")
    assert not is_synthetic(tmp_path, "XYZ")


def test_looking_up_an_organisation_does_not_import_the_generator(tmp_path: Path) -> None:
    """The disclosure step looks the organisation up; the 2,000-line generator is not needed."""
    raw = tmp_path / "raw"
    (raw / "ABC").mkdir(parents=True)
    (raw / "ABC" / SYNTHETIC_MARKER).write_text("synthetic\n", encoding="utf-8")
    (raw / "organisations.csv").write_text(
        "org_code,name,type,region\nABC,Example Trust,Acute trust,London\n", encoding="utf-8"
    )
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from edi_reports.config import Paths\n"
        "from edi_reports.disclosure import publication\n"
        f"raw = Path({str(raw)!r})\n"
        "who = publication.organisation(Paths(raw=raw, processed=raw, content=raw, reports=raw),"
        " 'ABC')\n"
        "print(who.name, who.synthetic, 'edi_reports.intake.synth' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split() == ["Example", "Trust", "True", "False"]
