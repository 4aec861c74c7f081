"""Reports: a run's leaderboard as HTML, JSON and CSV with inline SVG charts, and one
session's feedback as a page."""

from clinisim.report._feedback import (
    AnswerField,
    FeedbackItem,
    FeedbackScore,
    FeedbackTurn,
    NextStep,
    SessionFeedback,
    next_steps,
    session_feedback,
)
from clinisim.report._html_report import render_html
from clinisim.report._leaderboard import (
    Leaderboard,
    ModelRow,
    build_leaderboard,
    leaderboard_csv,
    leaderboard_json,
)
from clinisim.report._pass_k import pass_hat_k
from clinisim.report._run_results import RunResults, load_run
from clinisim.report._session_page import (
    PAGES_DIR,
    SessionLink,
    render_session_page,
    write_session_pages,
)
from clinisim.report._svg_charts import (
    Bar,
    Point,
    Series,
    bar_chart,
    grouped_bar_chart,
    scatter_chart,
)

__all__ = [
    "PAGES_DIR",
    "AnswerField",
    "Bar",
    "FeedbackItem",
    "FeedbackScore",
    "FeedbackTurn",
    "Leaderboard",
    "ModelRow",
    "NextStep",
    "Point",
    "RunResults",
    "Series",
    "SessionFeedback",
    "SessionLink",
    "bar_chart",
    "build_leaderboard",
    "grouped_bar_chart",
    "leaderboard_csv",
    "leaderboard_json",
    "load_run",
    "next_steps",
    "pass_hat_k",
    "render_html",
    "render_session_page",
    "scatter_chart",
    "session_feedback",
    "write_session_pages",
]
