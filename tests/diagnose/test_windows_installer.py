"""Generated tests for Windows Installer failures on Tailscale's package (blind batch 19: corpus 713, 714, 715, 737).

Windows Installer (msiexec running tailscale-setup-*.msi, or the .exe bundle that runs it, or winget running
either) fails on Tailscale's own package: its dialog, the Application event log (MsiInstaller) or a verbose log
(`msiexec /l*v`) say so with "Product: Tailscale -- Error 1920. …", the service errors 1920-1939 on the
Tailscale service, a failing custom action of the package (its check of the services tailscaled depends on,
cmd/tailscaled/install_windows.go serviceDependencies) or winget's "ShellExecute installer failed: N". Each is
install-failed (installing Tailscale failed, outside `tailscale update`), not a service or connectivity
problem; the routine MSI noise around them ("Note: 1: 2205 …") is not a failure.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import cli_kinds, rule_ids, run_text

# Where an MSI message shows up: the verbose log's "MSI (s|c) (pid:tid) [time]: " prefix, the event log's
# message alone, a retyped dialog.
MSI_PREFIXES = [
    "",
    "MSI (s) (90:B8) [14:58:00:115]: ",
    "MSI (c) (1C:F4) [09:03:12:007]: ",
    "MSI (s) (2C:C4) [23:45:43:734]: ",
]
# How the user posted it: bare, fenced, quoted with "> ", inside a sentence in square brackets or quotes.
WRAPS = [
    "{m}\n",
    "```\n{m}\n```\n",
    "> {m}\n",
    "When trying to upgrade tailscale it ends in giving an error [{m}]\n",
    'The installer shows "{m}"\n',
]
# Windows Installer's service errors (its Error table: 1920 start, 1921 stop, 1922 delete, 1923 install, 1939
# configure), on the Tailscale service.
SERVICE_ERRORS = [
    "Error 1920. Service 'Tailscale' (Tailscale) failed to start.  Verify that you have sufficient privileges to "
    "start system services.",
    "Error 1921. Service 'Tailscale' (Tailscale) could not be stopped.  Verify that you have sufficient "
    "privileges to stop system services.",
    "Error 1923. Service 'Tailscale' (Tailscale) could not be installed.  Verify that you have sufficient "
    "privileges to install system services.",
    "Error 1939. Service 'Tailscale' (Tailscale) could not be configured.",
    "Service 'Tailscale' (Tailscale) failed to start. Verify that you have sufficient privileges to start system "
    "services.",
]
PRODUCT_FAILURES = [
    "Product: Tailscale -- Installation failed.",
    "Product: Tailscale -- Installation operation failed.",
    "Product: Tailscale -- Error 1316. The specified account already exists.",
    "Product: Tailscale -- Removal failed.",
    "Windows Installer installed the product. Product Name: Tailscale. Product Version: 1.66.3. Product "
    "Language: 1033. Manufacturer: Tailscale Inc.. Installation success or error status: 1603.",
    "CustomAction ScheduleServiceStart returned actual error code 1603 (note: this may not be 100% accurate if "
    "translation happened inside sandbox)",
]
# The services tailscaled depends on (install_windows.go serviceDependencies, kept in sync with the installer's
# TailscaledDependencies): the package's custom action checks each one.
DEPENDENCIES = ["Dnscache", "iphlpsvc", "netprofm", "WinHttpAutoProxySvc"]
WIN32_ERRORS = ["The system cannot find the file specified.", "Access is denied.", "The service has been disabled."]


def _kinds_or_none(text: str) -> list[str]:
    try:
        return cli_kinds(text)
    except InputError:
        return []


@given(
    st.sampled_from(SERVICE_ERRORS),
    st.booleans(),
    st.sampled_from(MSI_PREFIXES),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_msi_service_error_on_tailscales_package_is_install_failed(
    error: str, product: bool, prefix: str, wrap: str
) -> None:
    message = ("Product: Tailscale -- " if product else "") + error
    if not wrap.startswith(("When", "The installer")):
        message = prefix + message
    text = wrap.format(m=message)
    assert cli_kinds(text) == ["install-failed"], text
    diagnosis = run_text(text)
    ids = rule_ids(diagnosis)
    assert "TS-CLI-INSTALL-FAILED" in ids and "TS-CLI-SERVICE-NOT-RUNNING" not in ids, ids
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-CLI-INSTALL-FAILED")
    assert "Windows Installer" in finding.cause and "iphlpsvc" in finding.fix, finding


@given(
    st.sampled_from(DEPENDENCIES),
    st.sampled_from(WIN32_ERRORS),
    st.sampled_from(["0x3DB4 (15796)", "0x1A2C (6700)"]),
    st.sampled_from(["{m}\n", "One of the lines in the log is:\n```\n{m}\n```\n", "> {m}\n"]),
)
@settings(max_examples=40, deadline=None)
def test_a_failing_custom_action_of_the_package_is_install_failed(
    dependency: str, error: str, pid: str, wrap: str
) -> None:
    line = (
        f"Custom Action CheckServiceDependencies (PID {pid}) [23:45:43.734]: Error: "
        f'Obtaining Config for "{dependency}": {error}'
    )
    text = wrap.format(m=line)
    assert cli_kinds(text) == ["install-failed"], text


@given(st.sampled_from(PRODUCT_FAILURES), st.sampled_from(MSI_PREFIXES), st.sampled_from(WRAPS[:3]))
@settings(max_examples=40, deadline=None)
def test_windows_installer_failing_on_tailscale_is_install_failed(message: str, prefix: str, wrap: str) -> None:
    text = wrap.format(m=prefix + message)
    assert cli_kinds(text) == ["install-failed"], text


WINGET_VALIDATION = [
    "Installation failed with exit code {hresult}\n"
    "2024-05-15 14:22:13.105 [CLI ] ShellExecute installer failed: {code}\n",
    "2024-05-15 14:22:13.105 [CLI ] ShellExecute installer failed: {code}\n",
    "Installation failed with exit code {hresult}\n",
]
MSI_NOISE = "MSI (s) (2C:C4) [14:22:00:584]: Note: 1: 2205 2:  3: Error \n"


@given(
    st.sampled_from(WINGET_VALIDATION),
    st.sampled_from(["-1978335226", "0x8A150006"]),
    st.sampled_from(["3221225477", "1603", "-1073741819"]),
    st.integers(min_value=0, max_value=3),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_winget_validation_of_the_installer_failing_is_install_failed(
    template: str, hresult: str, code: str, noise: int, quoted: bool
) -> None:
    paste = template.format(hresult=hresult, code=code) + MSI_NOISE * noise
    text = "Automatic Validation ended with:\n\n" + (
        "".join(f"> {line}\n" for line in paste.splitlines()) if quoted else paste
    )
    assert cli_kinds(text) == ["install-failed"], text
    diagnosis = run_text(text)
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-CLI-INSTALL-FAILED")
    assert "package manager" in finding.cause, finding.cause
    assert "TS-CLI-SERVICE-NOT-RUNNING" not in rule_ids(diagnosis)


NOT_FAILURES = [
    # routine MSI notes and successes are not failures
    MSI_NOISE,
    "MSI (s) (90:B8) [14:58:00:115]: Product: Tailscale -- Installation completed successfully.\n",
    "Windows Installer installed the product. Product Name: Tailscale. Product Version: 1.66.3. Product "
    "Language: 1033. Manufacturer: Tailscale Inc.. Installation success or error status: 0.\n",
    # another product's or service's installer errors say nothing about Tailscale
    "MSI (s) (90:B8) [14:58:00:115]: Product: Foo VPN -- Error 1920. Service 'FooVPN' (Foo VPN) failed to start.\n",
    "Error 1920. Service 'Spooler' (Print Spooler) failed to start.\n",
    "CustomAction SetTailscaleProps returned actual error code 0\n",
]


@given(st.sampled_from(NOT_FAILURES))
@settings(max_examples=12, deadline=None)
def test_routine_msi_lines_and_other_products_are_not_install_failed(text: str) -> None:
    assert "install-failed" not in _kinds_or_none(text), text
