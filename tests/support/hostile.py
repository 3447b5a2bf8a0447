"""Generated hostile values shared by the output-safety tests: credentials in every spelling, and
terminal/markup payloads for names that come from outside."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from hypothesis import strategies as st

# Characters that break naive parsers: URI delimiters, quotes, escapes, spaces, percent signs, non-ASCII.
_TRICKY = "@:/?#&=+;%'\"\\ $!*[]~é€"
_PASSWORD_BODY = st.text(alphabet=st.sampled_from("abcdefghijkLMNOP0123456789" + _TRICKY), min_size=2, max_size=14)

# The marker makes every generated password unique text, so "not in output" cannot pass by accident
# and cannot fail because the output happens to contain a common word.
MARKER = "Qz7Kv"


@st.composite
def passwords(draw: st.DrawFn) -> str:
    """A password holding URI delimiters, quotes, spaces and non-ASCII, around a unique marker."""
    before, after = draw(_PASSWORD_BODY), draw(_PASSWORD_BODY)
    return f"{before}{MARKER}{after}"


@dataclass(frozen=True)
class Spelling:
    dsn: str
    how: str
    libpq_valid: bool  # libpq accepts it with the password intact (a real login can succeed)


def libpq_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dsn_spellings(password: str, host: str, port: int, database: str, user: str = "hostile") -> list[Spelling]:
    """The same credential written every way people write DSNs and URLs."""
    encoded = quote(password, safe="")
    base = f"{host}:{port}/{database}"
    spellings = [
        Spelling(f"postgresql://{user}:{encoded}@{base}", "URI, percent-encoded", True),
        Spelling(f"postgres://{user}:{encoded}@{base}?sslmode=disable", "postgres:// alias", True),
        Spelling(f"  postgresql://{user}:{encoded}@{base}  ", "leading/trailing spaces", True),
        Spelling(f"postgresql://{user}@{base}?password={encoded}", "query password", True),
        Spelling(
            f"host={host} port={port} dbname={database} user={user} password={libpq_quote(password)}",
            "key=value, quoted",
            True,
        ),
        Spelling(
            f" host={host} port={port} password = {libpq_quote(password)} dbname={database} user={user}",
            "key=value, spaces around =",
            True,
        ),
        # Not valid for libpq: these take the driver's error path, whose message repeats the DSN.
        Spelling(f"postgresql+psycopg2://{user}:{encoded}@{base}", "SQLAlchemy scheme", False),
        Spelling(f"postgresql+psycopg2://{user}:{password}@{base}", "SQLAlchemy scheme, raw", False),
        Spelling(f"mysql://root:{encoded}@{base}", "mysql://", False),
        Spelling(f"postgresql://{user}:{password}@{base}", "URI, raw password", False),
    ]
    return spellings


def forms_of(password: str) -> set[str]:
    """Spellings a reader could recognise the password in: as typed, encoded, with its marker intact."""
    return {
        password,
        password.strip(),
        quote(password, safe=""),
        quote_plus(password),
        libpq_quote(password)[1:-1],
    } - {""}


def assert_secret_absent(password: str, *outputs: str) -> None:
    for output in outputs:
        for form in forms_of(password):
            assert form not in output, f"{form!r} leaked into: {output[:400]!r}"


# Terminal and markup payloads that a hostile database value, paste, config or file name may carry.
HOSTILE_FRAGMENTS = (
    "[bold red]ALERT[/]",
    "[link=https://evil.example]click[/link]",
    "\x1b[2J\x1b[31mred",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x1b]0;title\x07",
    "a\rb",
    "\u202eexe.txt",
    "\u2066isolate\u2069",
    "\u200bzero\u200dwidth",
    "\x9b31m",
    "\u0085nel",
    "line\u2028sep",
    "\x7fdel\x08bs",
    "[/]",
    "\\",
)
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(min_size=0, max_size=6)), min_size=1, max_size=5
).map("".join)

# What must never reach a terminal from outside text.
FORBIDDEN_CHARACTERS = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in "\n"]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029, 0x200B, 0x200D, 0x200E)]
)


def terminal_safe(output: str) -> bool:
    """No control, bidi or invisible format character in ``output`` (tabs allowed)."""
    return not any(ch in FORBIDDEN_CHARACTERS and ch != "\t" for ch in output)
