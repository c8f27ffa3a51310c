"""A progress bar on stderr: one line redrawn in place on a terminal, one line per step else."""

import sys
import time


class Progress:
    def __init__(self, total, stream=None, width=24):
        self.total, self.done, self.width = max(total, 1), 0, width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.label = ""

    def _draw(self, label):
        filled = round(self.width * min(self.done, self.total) / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.started
        line = f"[{bar}] {self.done}/{self.total} {elapsed:5.0f}s {label}"
        if self.tty:
            self.stream.write("\r\033[K" + line[:160])
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def step(self, label):
        """Start the next step (the previous one is done)."""
        self.done += 1
        self.label = label
        self._draw(label)

    def note(self, label):
        """What the current step is doing now, without advancing."""
        self._draw(label)

    def finish(self):
        self.done = self.total
        self._draw("done")
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Silent(Progress):
    def __init__(self):
        super().__init__(1)

    def _draw(self, label):
        pass

    def finish(self):
        pass
