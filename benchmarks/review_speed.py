"""How fast the Review page lets a reviewer clear a queue: 100 figures accepted with the A key in a real browser.

Reports the app's own time per decision (key press → next figure shown); the issue's target is 100 figures in
under 15 minutes (9 s a figure), which leaves the rest of each 9 s for reading the sentence.
Run: .venv/bin/python benchmarks/review_speed.py [N]
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import reviews, users
from tests import review_fixture as rf


def main(n: int = 100) -> None:
    tmp = Path(tempfile.mkdtemp())
    db = rf.build(tmp / "kpi.duckdb", rf.many(n))
    users.add_user("bench", "reviewer", "bench-password", tmp / "users.toml")
    times = []
    with rf.serve(db, tmp / "users.toml") as url, rf.browser_page() as page:
        rf.open_review(page, url)
        rf.sign_in(page, "bench", "bench-password")
        idle = page.locator("[data-testid=stApp][data-test-script-state=notRunning]")
        for i in range(n):
            page.locator("mark.quote").filter(has_text=f"Item {i}:").wait_for(timeout=30_000)
            idle.wait_for(timeout=30_000)
            start = time.perf_counter()
            page.locator("body").press("a")
            page.get_by_text(re.compile(rf"^{n - i - 1} to review")).wait_for(timeout=30_000)
            times.append(time.perf_counter() - start)
        page.get_by_text("Nothing left to review.").wait_for(timeout=30_000)
    recorded = len(reviews.history(reviews.reviews_path(db)))
    print(f"{recorded} of {n} figures accepted; app time per decision: median {statistics.median(times):.2f} s, "
          f"p90 {sorted(times)[int(0.9 * len(times)) - 1]:.2f} s, total {sum(times):.1f} s "
          f"({sum(times) / 60:.1f} of the 15 minutes allowed for {n})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
