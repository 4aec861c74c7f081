"""How fast the trainee app (``clinisim practice``) is ready and answers, offline.

Usage: python benchmarks/practice_app_speed.py [--starts 5] [--questions 30]

1. **Ready**: a fresh Python process imports the CLI and the app, draws the start
   screen and fills it with the case library. Timed from just before the process is
   spawned to the moment the list is filled (the child reports the time), as the
   median over ``--starts`` runs after one untimed warm-up.
2. **Reply**: in one app driven by Textual's Pilot, the time from submitting a
   question (the input's Enter action) to the reply's widget being mounted in the
   chat, for ``--questions`` questions in a consultation and as many in a counseling
   session (offline patient and client); prints the median and p95. The first
   question of each session is included. A session that ends early (the client
   leaves) stops its count there.

Runs headless in a temporary data dir and runs dir.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_CHILD = """
import sys, time
import clinisim.cli
from clinisim.tui import PracticeApp, PracticeOptions
from pathlib import Path
root = Path(sys.argv[1])

async def ready(pilot):
    while pilot.app.library is None:
        await pilot.pause(0.01)
    await pilot.pause()
    print(f"READY {time.time()}", flush=True)
    pilot.app.exit()

app = PracticeApp(PracticeOptions(runs_root=root, out_dir=root / "practice", warm_up=False))
app.run(headless=True, size=(80, 24), auto_pilot=ready)
"""

CONSULTATION_QUESTIONS = [
    "What brings you in today?",
    "When did it start?",
    "Where exactly do you feel it?",
    "Does it spread anywhere?",
    "How bad is it, from one to ten?",
    "Have you had anything like this before?",
    "Does anything make it better or worse?",
    "Have you had a fever?",
    "Do you take any regular medicines?",
    "Any allergies?",
]
COUNSELING_QUESTIONS = [
    "What would you like to talk about today?",
    "How has your week been?",
    "What goes through your mind when that happens?",
    "How do you feel as you tell me this?",
    "What do you do when you feel like that?",
    "That sounds really hard.",
    "What would you like to be different?",
    "Can you tell me about a recent time it happened?",
]


def time_ready(starts: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as root:
        env = {**os.environ, "CLINISIM_DATA_DIR": str(Path(root) / "data")}
        for attempt in range(starts + 1):
            began = time.time()
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, root],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            line = next(s for s in done.stdout.splitlines() if s.startswith("READY"))
            if attempt:  # the first run is the warm-up
                times.append(float(line.split()[1]) - began)
    return times


async def time_replies(questions: int) -> dict[str, list[float]]:
    from textual.widgets import Button, Input

    from clinisim.tui import PracticeApp, PracticeOptions
    from clinisim.tui._chat_log import TurnView
    from clinisim.tui._session_screen import SessionScreen

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as root:
        base = Path(root)
        os.environ["CLINISIM_DATA_DIR"] = str(base / "data")
        for mode, subject, asked in (
            ("consultation", "acute-appendicitis", CONSULTATION_QUESTIONS),
            ("counseling", "aaron-trauma", COUNSELING_QUESTIONS),
        ):
            options = PracticeOptions(
                runs_root=base, out_dir=base / "practice", mode=mode, checkpoint_file=base / "cp"
            )
            app = PracticeApp(options)
            async with app.run_test(size=(80, 24)) as pilot:
                while app.library is None:
                    await pilot.pause(0.05)
                await pilot.pause()
                app.choose(mode, subject)
                while type(app.screen).__name__ != "SetupDialog" or not app.screen.query("#begin"):
                    await pilot.pause(0.02)
                await pilot.pause()
                app.screen.query_one("#max-turns", Input).value = str(questions + 5)
                app.screen.query_one("#begin", Button).press()
                while not isinstance(app.screen, SessionScreen):
                    await pilot.pause(0.02)
                screen = app.screen
                while screen.session.waiting is None or screen.busy:
                    await pilot.pause(0.02)
                box = screen.query_one("#chat-input", Input)
                times = []
                for number in range(questions):
                    if screen.session.finished:
                        break  # the client left, or the budget ran out
                    box.value = asked[number % len(asked)]
                    await pilot.pause()
                    shown = len(screen.query(TurnView))
                    start = time.perf_counter()
                    await box.action_submit()
                    while True:
                        views = list(screen.query(TurnView))
                        if len(views) >= shown + 2 and views[-1].is_mounted:
                            break
                        if screen.session.finished and not screen.busy:
                            break
                        await asyncio.sleep(0.001)
                    times.append(time.perf_counter() - start)
                    while screen.busy:
                        await pilot.pause(0.002)
                results[mode] = times
    return results


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args()
    ready = time_ready(args.starts)
    print(
        f"ready (process spawn to library listed): median {statistics.median(ready):.2f} s "
        f"(min {min(ready):.2f}, max {max(ready):.2f}, {len(ready)} runs)"
    )
    replies = asyncio.run(time_replies(args.questions))
    for mode, times in replies.items():
        ms = [t * 1000 for t in times]
        print(
            f"{mode}: Enter to reply on screen, {len(ms)} questions: "
            f"median {statistics.median(ms):.0f} ms, p95 {_p95(ms):.0f} ms, max {max(ms):.0f} ms"
        )


if __name__ == "__main__":
    main()
