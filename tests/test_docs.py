"""The repository explains itself: generated files match their generators, and nothing
tracked refers to files outside the repository or to an issue tracker a clone lacks."""

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The documents docs/ must hold (the README links each).
DOCUMENTS = (
    "index.md",
    "data-contract.md",
    "methodology.md",
    "analyst-guide.md",
    "settings.md",
    "catalogue.md",
    "assumptions.md",
)


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / p for p in out.splitlines() if (ROOT / p).is_file()]


def test_settings_reference_is_generated_from_the_settings_class():
    expected = _tool("make_settings_doc").render()
    current = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert current == expected, "docs/settings.md is stale: run tools/make_settings_doc.py"


def test_catalogue_table_is_generated_from_the_catalogue():
    expected = _tool("make_catalogue_doc").render()
    current = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert current == expected, "docs/catalogue.md is stale: run tools/make_catalogue_doc.py"


def test_every_setting_is_in_the_reference():
    import dataclasses

    from edi_reports.config import Settings

    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for section in dataclasses.fields(Settings):
        for f in dataclasses.fields(type(getattr(Settings(), section.name))):
            assert f"`{section.name}.{f.name}`" in text


def test_committed_notebooks_equal_the_generator_output(tmp_path):
    _tool("make_notebooks").main(tmp_path)
    committed = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    generated = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert committed == generated
    for name in generated:
        assert (tmp_path / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes(), (
            f"notebooks/{name} differs from tools/make_notebooks.py: run the script"
        )


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_exist_and_are_linked_from_the_readme(name):
    assert (ROOT / "docs" / name).is_file()
    assert f"docs/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_relative_links_in_docs_and_readme_resolve():
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    broken = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in link.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            if not (doc.parent / target).resolve().exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


#: Words that point outside a clone: the internal notes, and a tracker's issue numbers.
OUTSIDE = re.compile(
    r"\.\./shared|shared[/]spec|DEVELOPERS\.md|\bissues? #\d|measures\.md|design\.md"
)
#: Outside docs/, the data contract is cited as docs/data-contract.md or "data contract §".
BARE_CONTRACT = re.compile(r"(?<!docs/)data-contract\.md")


def test_nothing_tracked_refers_outside_the_repository():
    offenders = []
    for path in _tracked():
        if path.suffix in {".png", ".xlsx", ".pdf"} or path.name == "test_docs.py":
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            in_docs = path.parent.name == "docs"
            if OUTSIDE.search(line) or (not in_docs and BARE_CONTRACT.search(line)):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert offenders == [], "\n".join(offenders[:40])
