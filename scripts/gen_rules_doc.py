#!/usr/bin/env python3
"""Write docs/rules.md from the lint, diagnose and check rule catalogs (``--check``: exit 1 if it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opskit.core.check.rules import all_rules as check_rules  # noqa: E402
from opskit.core.diagnose.rules import all_rules as diagnose_rules  # noqa: E402
from opskit.core.lint.catalog import all_rules as lint_rules  # noqa: E402
from opskit.output.rules_doc import render_rules_markdown  # noqa: E402

TARGET = ROOT / "docs" / "rules.md"


def main(argv: list[str]) -> int:
    text = render_rules_markdown(lint_rules(), diagnose_rules(), check_rules())
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            sys.stderr.write("docs/rules.md is stale: run python scripts/gen_rules_doc.py\n")
            return 1
        return 0
    TARGET.write_text(text)
    counts = f"{len(lint_rules())} lint, {len(diagnose_rules())} diagnose and {len(check_rules())} check rules"
    sys.stdout.write(f"wrote {TARGET.relative_to(ROOT)} ({counts})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
