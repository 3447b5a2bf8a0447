"""Jinja2 templates for `opskit render`, one folder per config family (shipped as opskit.templates)."""
