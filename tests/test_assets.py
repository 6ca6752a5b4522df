"""Static assets under content-hashed names: only the kinds of file the site serves."""

from __future__ import annotations

from pathlib import Path

from webapp.assets import PREFIX, load_assets


def test_only_known_kinds_get_a_hashed_name(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body{}")
    (tmp_path / "notes.txt").write_text("not served")
    assets = load_assets(tmp_path)
    assert list(assets) == ["site.css"]
    assert assets["site.css"].path.startswith(PREFIX + "site.") and assets["site.css"].path.endswith(".css")
    (tmp_path / "site.css").write_text("body{color:red}")
    assert load_assets(tmp_path)["site.css"].path != assets["site.css"].path
