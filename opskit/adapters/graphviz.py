"""Run Graphviz ``dot`` on DOT text built elsewhere (opskit.output.diagnose_graph): argv list, timeout."""

from __future__ import annotations

from opskit.adapters.proc import run, which
from opskit.errors import EnvironmentProblem

INSTALL_HINT = "Install Graphviz (`apt-get install graphviz`), or ask for FILE.dot and render it elsewhere."


def dot_to_svg(dot_text: str, *, timeout: float = 60) -> str:
    """The SVG Graphviz draws for ``dot_text`` (read from stdin: no temporary file, no shell)."""
    done = run([which("dot", INSTALL_HINT), "-Tsvg"], input_text=dot_text, timeout=timeout)
    if done.timed_out:
        raise EnvironmentProblem(f"Graphviz `dot` did not finish within {timeout:.0f} s.")
    if done.returncode != 0:
        raise EnvironmentProblem(f"Graphviz `dot` failed: {done.stderr.strip()[:500]}", hint=INSTALL_HINT)
    return done.stdout
