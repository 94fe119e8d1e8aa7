"""How long a job's stage has left, for its status message: a large file is minutes of encoding (a 1.4 MB
text of 6,000 paragraphs took seven on two cores), and "4608/6000" alone did not say whether to wait."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from retriever.models import BuildProgress

SETTLED_SECONDS = 10.0  # a stage's pace is read once it has run this long (its first batches load the model)
SHOWN_OVER_SECONDS = 60.0  # what is left is said only where it is more than a minute


@dataclass
class StageClock:
    """The start of the stage under way (its name, when, how far it was) and the time left at its pace."""

    stage: str = ""
    since: float = 0.0
    from_done: int = 0
    now: Callable[[], float] = field(default=time.monotonic, repr=False)

    def minutes_left(self, event: BuildProgress) -> int | None:
        now = self.now()
        if event.stage != self.stage:
            self.stage, self.since, self.from_done = event.stage, now, event.done
            return None
        elapsed, done = now - self.since, event.done - self.from_done
        if elapsed < SETTLED_SECONDS or done <= 0 or event.total <= event.done:
            return None
        left = (event.total - event.done) * elapsed / done
        return math.ceil(left / 60) if left > SHOWN_OVER_SECONDS else None
