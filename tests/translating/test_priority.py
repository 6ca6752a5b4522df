"""i18n priority: locales ranked by views in the last three months times the share not reviewed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.helpers import approve
from webapp import reach, reviews
from webapp.catalogs import catalog_path, load
from webapp.cli import main
from webapp.locales import LOCALES
from webapp.translating import catalog_tools, priority


def test_the_last_three_months_reach_back_over_a_new_year() -> None:
    assert priority.recent_months("2027-02") == ("2027-02", "2027-01", "2026-12")
    assert priority.recent_months("2026-12") == ("2026-12", "2026-11", "2026-10")


def months_ago(count: int) -> str:
    return priority.recent_months(reach.month_of(time.time()), count + 1)[-1]


def test_views_times_the_share_not_reviewed_rank_the_locales(
    locales_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    uk = load(catalog_path(locales_copy, "uk"), LOCALES["uk"])
    approve(locales_copy, "uk", {reviews.key_of(m)[1] for m in uk.entries[: len(uk.entries) // 2]})
    ar = load(catalog_path(locales_copy, "ar"), LOCALES["ar"])
    approve(locales_copy, "ar", {reviews.key_of(m)[1] for m in ar.entries[5:]})  # all but five
    db = tmp_path / "reach.db"
    reach.add(
        db,
        {
            (months_ago(0), "ar", "standard"): 900,  # read most, but nearly all reviewed
            (months_ago(0), "so", "standard"): 100,
            (months_ago(2), "so", "plain"): 24,  # the third month back still counts
            (months_ago(3), "ti", "standard"): 5000,  # a fourth month back does not
            (months_ago(1), "uk", "standard"): 140,
            (months_ago(0), "uk", "safety"): 60,
            (months_ago(0), "fi", "standard"): 9,
            (months_ago(0), "sv", "standard"): 800,  # the source needs no review
        },
    )
    log = tmp_path / "reach.log"
    log.write_text(f"{months_ago(0)} 200 /ti/index.html\n" * 3)
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    monkeypatch.setenv("TRYGG_REACH_DB", str(db))
    assert main(["i18n", "priority", "--json", "--nginx-log", str(log)]) == 0
    ranked = json.loads(capsys.readouterr().out)
    uk_share = catalog_tools.stats(locales_copy, LOCALES["uk"]).draft / len(uk.entries)
    assert 0.4 < uk_share < 0.6
    assert ranked[:2] == [
        {"rank": 1, "locale": "so", "views": "120", "unreviewed": 1.0, "score": 120.0},
        {
            "rank": 2,
            "locale": "uk",
            "views": "200",
            "unreviewed": round(uk_share, 4),
            "score": round(200 * uk_share, 1),
        },
    ]
    assert (ranked[2]["locale"], ranked[2]["views"]) == ("ar", "900") and 0 < ranked[2]["unreviewed"] < 0.1
    # Then every locale no one read (below 10 views counts as none), none of them reviewed.
    assert [r["score"] for r in ranked[3:]] == [0.0] * (len(ranked) - 3)
    assert [r["locale"] for r in ranked[3:]] == sorted(r["locale"] for r in ranked[3:])
    assert {r["locale"] for r in ranked} == {code for code in LOCALES if code != "sv"}
    assert next(r for r in ranked if r["locale"] == "ti")["views"] == "<10"


def test_the_table_names_the_months_and_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "reach.log"
    log.write_text(f"{months_ago(0)} 200 /so/\n" * 15 + "garbage\n")
    monkeypatch.delenv("TRYGG_REACH_DB", raising=False)
    assert main(["i18n", "priority", "--nginx-log", str(log)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith(f"views in {', '.join(sorted(priority.recent_months(months_ago(0))))}")
    assert lines[1].split() == ["rank", "locale", "views", "unreviewed", "score"]
    assert lines[2].split() == ["1", "so", "20", "100%", "20"]
    assert err == "1 log lines not in the reach format were skipped\n"


def test_without_views_it_refuses_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRYGG_REACH_DB", raising=False)
    assert main(["i18n", "priority"]) == 2
    assert capsys.readouterr().err == "nothing to read: set TRYGG_REACH_DB or give --nginx-log FILE\n"
