"""The HTML report: well formed, self-contained, five charts, every name escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from clinisim.engine import write_session
from clinisim.report import build_leaderboard, load_run, render_html
from clinisim.runner._manifest import Manifest, write_manifest
from clinisim.schemas import (
    ConsultationOutcome,
    ItemResult,
    Score,
    Session,
    SessionError,
    Suite,
    SuiteModels,
    TerminationReason,
    Usage,
)

RUN_ID = "html-run-7"
EVIL = 'evil<&>"doc'
"""A doctor name that breaks the page unless it is escaped."""
PRICED = "openai/x"
UNPRICED = "local/free"
DOCTORS = [EVIL, PRICED, UNPRICED]
VOID = {"meta", "br", "hr", "img", "input", "link"}


class _StrictParser(HTMLParser):
    """Checks that every element is closed in order and collects the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _StrictParser:
    parser = _StrictParser()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def _manifest(planned: int) -> Manifest:
    suite = Suite(name="h", trials=2, models=SuiteModels(doctor=DOCTORS))
    return Manifest(
        run_id=RUN_ID,
        status="complete",
        suite_source="h.yaml",
        suite=suite,
        config_hash="cfg-hash-42",
        git_revision="rev-99",
        versions={"clinisim": "0.1.0", "litellm": "9.9"},
        models={"doctor": DOCTORS},
        rubrics={"diagnosis": "1", "communication": "3"},
        run_seed=0,
        seeds={},
        cases=["c1"],
        personas=[{"personality": "plain"}, {"personality": "verbose"}],
        sessions_planned=planned,
        warnings=["watch <this>"],
    )


def _session(doctor: str, personality: str, trial: int, correct: bool) -> Session:
    usage = {
        PRICED: {"doctor": Usage(prompt_tokens=10, cost_usd=0.02, calls=1)},
        UNPRICED: {"doctor": Usage(prompt_tokens=10, calls=1)},
    }.get(doctor, {})
    failed = doctor == EVIL and trial == 1
    return Session(
        session_id=f"{len(doctor)}-{personality}-{trial}",
        kind="consultation",
        case_id="c1",
        persona={"personality": personality, "language": "C"},
        models={"doctor": doctor},
        seed=0,
        termination_reason=TerminationReason.ERROR if failed else TerminationReason.TURN_BUDGET,
        outcome=ConsultationOutcome(gold_diagnosis="g", correct=correct),
        usage=usage,
        scores=[
            Score(
                name="communication",
                version="3",
                judge_model="j",
                value=0.5,
                items=[
                    ItemResult(id="x", met=True, points=1, tags=["axis:empathy"]),
                    ItemResult(id="y", met=False, points=1, tags=["axis:clarity"]),
                ],
            )
        ],
        error=SessionError(type="Bad<Reply>", message="m") if failed else None,
    )


def _write_run(run_dir: Path) -> None:
    write_manifest(_manifest(planned=12), run_dir)
    for doctor in DOCTORS:
        for personality in ("plain", "verbose"):
            for trial in (0, 1):
                record = _session(doctor, personality, trial, correct=trial == 0)
                write_session(record, run_dir / "sessions" / f"{record.session_id}.json")


@pytest.fixture
def page(tmp_path: Path) -> str:
    _write_run(tmp_path)
    return render_html(build_leaderboard(load_run(tmp_path)))


def test_page_is_well_formed(page: str) -> None:
    parser = _parse(page)
    assert parser.tags[0] == "html"
    assert parser.tags.count("table") >= 3


def test_five_inline_charts(page: str) -> None:
    parser = _parse(page)
    assert page.count("<svg") == 5
    assert parser.tags.count("svg") == 5
    # The kind's rate columns get a chart of their own (top-3 and moderator here).
    assert "Consultation measures (95% CI)" in page


def test_self_contained(page: str) -> None:
    assert "<style>" in page
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in page
    # The only URL is the SVG namespace, which is never fetched.
    assert page.count("http") == page.count('xmlns="http://www.w3.org/2000/svg"')


def test_run_id_status_and_provenance(page: str) -> None:
    assert f"<title>clinisim report: {RUN_ID}</title>" in page
    text = "".join(_parse(page).text)
    for expected in (RUN_ID, "complete", "cfg-hash-42", "rev-99", "litellm", "9.9"):
        assert expected in text
    assert "watch <this>" in text
    assert "watch <this>" not in page


def test_names_are_escaped(page: str) -> None:
    assert EVIL not in page
    assert "evil&lt;&amp;&gt;&quot;doc" in page
    assert "Bad<Reply>" not in page
    text = "".join(_parse(page).text)
    # Escaped once, not twice: the parsed text shows the names as written.
    assert EVIL in text
    assert "Bad<Reply>" in text


def test_charts_show_models_axes_and_unknown_cost(page: str) -> None:
    text = "".join(_parse(page).text)
    assert "personality=plain" in text
    assert "personality=verbose" in text
    # language has one value only, so it is not plotted as a persona group.
    assert "language=C" not in text
    assert "empathy · communication" in text
    assert f"{UNPRICED} (cost unknown)" in text
    assert f"{PRICED} (cost unknown)" not in text
    # The priced doctor's cost per session, in the leaderboard.
    assert "$0.0200" in text


def test_empty_run_still_renders(tmp_path: Path) -> None:
    write_manifest(_manifest(planned=6), tmp_path)
    (tmp_path / "sessions").mkdir()
    page = render_html(build_leaderboard(load_run(tmp_path)))
    parser = _parse(page)
    assert parser.tags.count("svg") == 5
    assert "no data" in "".join(parser.text)
