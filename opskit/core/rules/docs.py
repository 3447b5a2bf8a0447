"""Rule docstrings: ``*Why*`` prose and ``*Bad*``/``*Good*`` config examples (indented blocks)."""

from __future__ import annotations

import re
import textwrap

_HEADING = re.compile(r"^\*(?P<name>[A-Za-z]+)\*:{0,2}\s*(?P<rest>.*)$")


def _sections(doc: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in doc.splitlines():
        match = _HEADING.match(line.strip()) if not line.startswith(" ") else None
        if match:
            current = match.group("name").lower()
            sections.setdefault(current, [])
            rest = match.group("rest").strip()
            if rest and rest != "::":
                sections[current].append(rest)
            continue
        sections[current].append(line)
    return sections


def doc_summary(doc: str) -> str:
    """The first paragraph of a docstring."""
    return doc.strip().split("\n\n", 1)[0].replace("\n", " ")


def doc_section(doc: str, heading: str) -> str:
    """The prose under ``*Heading*`` (joined, code blocks excluded)."""
    lines = _sections(doc).get(heading.lower(), [])
    return " ".join(line.strip() for line in lines if line.strip() and not line.startswith("    ")).strip()


def doc_examples(doc: str, heading: str) -> list[str]:
    """Indented example blocks under ``*Heading*``; blocks are separated by a non-indented line."""
    examples: list[str] = []
    block: list[str] = []
    for line in _sections(doc).get(heading.lower(), []):
        if line.startswith("    ") or (block and not line.strip()):
            block.append(line)
        elif block:
            examples.append(textwrap.dedent("\n".join(block)).strip() + "\n")
            block = []
    if block:
        examples.append(textwrap.dedent("\n".join(block)).strip() + "\n")
    return examples
