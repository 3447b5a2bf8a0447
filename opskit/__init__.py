"""opskit: turn hard-won incident write-ups into tools an on-call engineer can trust."""

__version__ = "0.2.0"

# Where the source and docs live: SARIF rule links and the package metadata point here
# (pyproject.toml's [project.urls] must agree; a test checks it).
PROJECT_URL = "https://github.com/opskit-dev/opskit"
