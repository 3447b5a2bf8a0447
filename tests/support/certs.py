"""A throwaway TLS certificate for tests that start a real nginx or HAProxy on loopback."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_certificate(openssl: str, prefix: Path, name: str) -> tuple[Path, Path]:
    """Self-signed EC key and certificate for ``name`` (CN and subjectAltName) in ``prefix``."""
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "30",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key
