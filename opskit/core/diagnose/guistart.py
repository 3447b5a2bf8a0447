"""A program started detached from a shell, and the start-up fatals it prints there.

`start tailscale-ipn.exe` (cmd), `Start-Process …` (PowerShell), `open -a Tailscale` (macOS), `tailscaled &` or
`nohup …  &` return at once: the shell prints its next prompt while the program still starts, so what the program
prints as it dies lands after that prompt (``C:\\…>open C:\\…\\sslkeylog.log: The filename, directory name, or
volume label syntax is incorrect.``) and reads as a typed command. Windows' cmd does not wait for a GUI program
even without `start`, so any command running tailscale-ipn is such a start.

A line after such a prompt is the program's output when nobody would type it: an OS error sentence, Go's
``<op> <path>: <OS error>`` (an *os.PathError), envknob's ``invalid … environment variable …``, Go's ``exit status
N`` (a child's exit code: `tailscale update`'s msiexec on Windows), or a line opening with Go's log stamp
(tailscaled logging to the terminal). reattach_detached_output gives such a line back to the program (no command,
its text the part after the prompt), under the start command.

The GUI apps (tailscale-ipn.exe, the macOS app) share Go code that ends them at start-up with ``log.Fatal``
(tailscale/tailscale at de9ec7ee2): net/tlsdial/tlsdial.go opens the file the SSLKEYLOGFILE environment variable
names for TLS key logging and exits on its error (v1.0-); envknob/envknob.go exits on an environment knob it
cannot parse ("invalid boolean environment variable %s value %q" v1.22-, "invalid duration|int environment
variable %s value %q" v1.36-/v1.38-, "invalid integer|unsigned integer environment variable %s: %v" v1.38-/v1.40-).
gui_start_fatal reads them under a command that started the GUI (`gui-failed-to-start`).
Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, count, repeat
from operator import is_not, itemgetter

from opskit.core.diagnose.models import CliError, CliErrorKind
from opskit.core.diagnose.text import SourceLine

# A command that returns before the program it starts: cmd's `start`, PowerShell's Start-Process (alias saps,
# start), macOS `open`, nohup/setsid, a trailing `&` (not `&&`); and any run of the Windows GUI or the macOS app.
# `tailscale update` on Windows too: it starts a copy of itself to run msiexec and exits (clientupdate_windows.go),
# so the copy's error ("exit status 1618") lands after the next prompt.
_DETACHED = re.compile(
    r"^(?:start|start-process|saps|open|nohup|setsid|daemonize)\s"
    r"|(?<!&)&\s*$"
    r"|\btailscale-ipn(?:\.exe)?\b|\bTailscale\.app\b"
    r"|\btailscale(?:\.exe)?[\"']?\s+(?:--\S*\s+)*update\b",
    re.IGNORECASE,
)
# The GUI among them: tailscale-ipn (Windows), the macOS app (`open -a Tailscale`, its bundle or binary).
_GUI = re.compile(
    r"\btailscale-ipn(?:\.exe)?\b|\bTailscale\.app\b|^open\s+(?:-\w+\s+)*-a\s+[\"']?Tailscale\b",
    re.IGNORECASE,
)

# The OS's own words for a file it cannot open: Windows' FormatMessage sentences (ERROR_FILE_NOT_FOUND,
# ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_INVALID_NAME, ERROR_SHARING_VIOLATION, ERROR_DIRECTORY,
# ERROR_NOT_READY) and Go's syscall.Errno strings on Linux/macOS/BSD.
WINDOWS_FILE_ERRORS = (
    r"The system cannot find the (?:file|path) specified|Access is denied"
    r"|The filename, directory name, or volume label syntax is incorrect"
    r"|The process cannot access the file because it is being used by another process"
    r"|The directory name is invalid|The device is not ready"
)
POSIX_FILE_ERRORS = (
    r"permission denied|no such file or directory|read-only file system|not a directory|is a directory"
    r"|operation not permitted|no space left on device|file exists|too many levels of symbolic links"
)
# Go's *os.PathError: "<op> <path>: <OS error>" (the path may hold spaces and a drive's colon).
_PATH_ERROR = re.compile(
    rf"^(?P<op>open|mkdir|stat|lstat|remove|rename|chmod|chown|readlink|CreateFile) (?P<path>\S.*?): "
    rf"(?P<why>(?:{WINDOWS_FILE_ERRORS})\.?|{POSIX_FILE_ERRORS})$"
)
_ENVKNOB = re.compile(
    r"^invalid (?:boolean|duration|int|integer|unsigned integer) environment variable (?P<var>\w+)"
    r"(?: value (?P<quoted>\"(?:[^\"\\]|\\.)*\")|: (?P<bare>.*))$"
)
_PROGRAM_OUTPUT = re.compile(
    rf"^(?:{WINDOWS_FILE_ERRORS})\.?$"  # an OS error sentence alone
    r"|^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \S"  # Go's log stamp: the program's log on the terminal
    r"|^exit status \d+$"  # Go's *exec.ExitError: a child program's exit code, returned as the error
)


def starts_detached(command: str) -> bool:
    """Whether ``command`` returns before the program it starts (its output may follow the next prompt)."""
    return _DETACHED.search(command.strip()) is not None


def starts_gui(command: str | None) -> bool:
    """Whether ``command`` ran the Tailscale GUI (tailscale-ipn on Windows, the macOS app)."""
    return command is not None and _GUI.search(command.strip()) is not None


def is_program_output(text: str) -> bool:
    """Whether a line nobody types at a prompt: an OS error, Go's path error or envknob fatal, a Go log line."""
    return (
        _PATH_ERROR.match(text) is not None
        or _ENVKNOB.match(text) is not None
        or _PROGRAM_OUTPUT.match(text) is not None
    )


_COMMAND_FIELD = itemgetter(SourceLine._fields.index("command"))


def reattach_detached_output(lines: list[SourceLine]) -> None:
    """Give back to a detached program the lines printed after the next prompt (see the module docstring)."""
    detached = False
    # only the prompts matter, picked out at C speed: most lines are output
    prompts = list(compress(count(), map(is_not, map(_COMMAND_FIELD, lines), repeat(None))))
    if len(prompts) < 2:
        return  # no prompt after a detached program's to give lines back from (most pastes: one prompt or none)
    for at in prompts:
        line = lines[at]
        command = line.command
        if command is None:  # (never: for the type checker)
            continue
        if detached and is_program_output(command):
            lines[at] = line._replace(text=command, command=None)
            continue
        # the last prompt is never asked (no prompt after it to give lines back from): most pastes have one, and
        # _DETACHED's case-blind search costs ~10,000 instructions a command
        detached = at != prompts[-1] and starts_detached(command)


_CAUSE_FILE = (
    "The Tailscale GUI exited as it started: it could not {op} `{path}` ({why}). At start-up the app opens the "
    "file the SSLKEYLOGFILE environment variable names (a TLS key log for Wireshark, set by a debugging tool or by "
    "hand) and quits when it cannot: a missing folder, a malformed path, no write access. Tailscale's service and "
    "the network are not the problem; the app never ran."
)
_FIX_FILE = (
    "Remove the SSLKEYLOGFILE variable (Windows: System Properties > Environment Variables, user and system, or "
    "`reg query HKCU\\Environment /v SSLKEYLOGFILE`; macOS: `launchctl getenv SSLKEYLOGFILE`, `launchctl unsetenv "
    "SSLKEYLOGFILE`), or point it at a writable file in a folder that exists, then start Tailscale again (log out "
    "and in, or restart, so the GUI gets the new environment)."
)
_CAUSE_ENV = (
    "The Tailscale GUI exited as it started: the environment variable {var} holds {value}, which it cannot parse "
    "(Tailscale's debug knobs, TS_*, are read at start-up and a malformed one is fatal). The app never ran."
)
_FIX_ENV = (
    "Fix or remove {var} (a boolean takes true/false/1/0, a duration a unit such as 10s): Windows System "
    "Properties > Environment Variables, or `launchctl unsetenv {var}` on macOS; then start Tailscale again."
)


def gui_start_fatal(line: SourceLine, command: str | None) -> CliError | None:
    """The GUI's start-up fatal on ``line`` under ``command``, the command that started the GUI; or None."""
    if not starts_gui(command):
        return None
    text = line.text
    if (path_error := _PATH_ERROR.match(text)) is not None:
        op, path, why = path_error.group("op", "path", "why")
        explanation = (_CAUSE_FILE.format(op=op, path=path, why=why.rstrip(".")), _FIX_FILE)
    elif (knob := _ENVKNOB.match(text)) is not None:
        value = knob.group("quoted") or repr(knob.group("bare") or "")
        explanation = (_CAUSE_ENV.format(var=knob.group("var"), value=value), _FIX_ENV.format(var=knob.group("var")))
    else:
        return None
    return CliError(CliErrorKind.GUI_FAILED_TO_START, line, detail=text, explanation=explanation)


def is_gui_start_fatal(text: str, command: str | None) -> bool:
    """Whether ``text`` is the GUI's start-up fatal under ``command`` (the splitter's test)."""
    return starts_gui(command) and (_PATH_ERROR.match(text) is not None or _ENVKNOB.match(text) is not None)


# The Windows GUI's error box when it cannot set itself up (tailscale-ipn, closed source): "Unable to setup Tailscale
# client:" and the error of the failing call, on the same line or the next. Its window code is
# github.com/tailscale/walk, whose errors read "walk.<Func>: <Win32 call>" and carry the Go stack walk recorded
# (newError: "Stack:" then goroutine frames), so the box holds a stack that is no crash: the GUI gave up and said so.
SETUP_BOX_OPENING = "Unable to setup Tailscale client:"
_WALK_CALL = re.compile(r"^walk\.(?P<call>\w+): (?P<why>\S.*?)\s*$")
# A line of the stack under "Stack:": goroutine headers, frames (a call with arguments, a bare function), their
# file:line, the module path a retyped or narrow box wraps onto its own line.
_BOX_STACK = re.compile(
    r"^(?:Stack:|goroutine \d+ \[[^\]]*\]:|\S+\(.*[)}]|\S*\.(?:go|s):\d+(?: \+0x[0-9a-f]+)?|[\w./@*()-]+)\s*$"
)
# walk and Win32 names a retyped screenshot spells with "l" for "I" (Notifylcon): restored only for these names.
_WALK_NAMES = ("NewNotifyIcon", "Shell_NotifyIcon", "NotifyIcon", "NewIconFromResourceId", "NewIconFromFile")
_BY_RETYPED_FORM = {name.replace("l", "I"): name for name in _WALK_NAMES}
_WORD = re.compile(r"\w+")
_SETUP_TRAY = (
    "The Tailscale GUI could not set itself up: creating its notification-area (tray) icon failed ({error}). "
    "Windows' Shell_NotifyIcon refused the icon, which happens when Explorer's taskbar is not running or not ready "
    "(right after sign-in, Explorer restarting or crashed, a preview build's shell). The GUI gives up, so Tailscale "
    "seems not to start; the Tailscale service and the network are not the problem.",
    "Restart Explorer (Task Manager > Windows Explorer > Restart, or sign out and in), then start Tailscale again "
    "from the Start menu; if it recurs at every sign-in, start it a little later (the tray not ready yet) and report "
    "the box with `tailscale version` and the Windows build.",
)
_SETUP_OTHER = (
    "The Tailscale GUI could not set itself up: a call of its window code failed ({error}), so the GUI gives up and "
    "Tailscale seems not to start. The Tailscale service and the network are not the problem.",
    "Sign out and in (or restart Windows) and start Tailscale again from the Start menu; if the box returns, report "
    "it with `tailscale version` and the Windows build (and reinstall the current Tailscale for Windows).",
)


def _restore_walk_names(text: str) -> str:
    return _WORD.sub(lambda word: _BY_RETYPED_FORM.get(word.group().replace("l", "I"), word.group()), text)


def gui_setup_box_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of the GUI's setup error box opening at ``lines[start]`` (its error, then the
    stack under "Stack:"), or None when that line does not open one."""
    text = lines[start].text.strip()
    if not text.startswith(SETUP_BOX_OPENING):
        return None
    end = start
    rest = text[len(SETUP_BOX_OPENING) :].strip()
    if rest and not (rest.startswith("walk.") or ": " in rest):
        return None  # prose quoting the box's words: its error is "<op>: <why>"
    if not rest:  # the error on the next line
        if start + 1 >= len(lines) or not lines[start + 1].text.strip() or lines[start + 1].command is not None:
            return None
        end = start + 1
    if end + 1 < len(lines) and lines[end + 1].text.strip() == "Stack:":
        end += 1
        while end + 1 < len(lines) and lines[end + 1].command is None and _BOX_STACK.match(lines[end + 1].text):
            end += 1
    return end


def gui_setup_failure(lines: Sequence[SourceLine]) -> CliError | None:
    """The GUI's setup error box in ``lines`` (a block gui_setup_box_extent cut) as ``gui-failed-to-start``."""
    if not lines or not lines[0].text.strip().startswith(SETUP_BOX_OPENING):
        return None
    error_line = lines[0]
    error = error_line.text.strip()[len(SETUP_BOX_OPENING) :].strip()
    if not error and len(lines) > 1:
        error_line = lines[1]
        error = error_line.text.strip()
    error = _restore_walk_names(error)
    call = _WALK_CALL.match(error)
    tray = call is not None and ("NotifyIcon" in call.group("call") or "Shell_NotifyIcon" in call.group("why"))
    cause, fix = _SETUP_TRAY if tray else _SETUP_OTHER
    return CliError(
        CliErrorKind.GUI_FAILED_TO_START, error_line, detail=error, explanation=(cause.format(error=error), fix)
    )
