"""Jinja2 templates for `opskit render`, one folder per config family.

The folder sits at the top of the repository (the project layout fixes it there, next to examples/,
so a reviewer finds the configs without opening the package) and ships inside the wheel as the
package ``opskit.templates``: setup.py maps ``package_dir={"opskit.templates": "templates"}``, and
``opskit.core.render.engine`` loads it with importlib.resources. Nothing imports this module's code;
it exists so the mapping has a package to point at. See docs/architecture.md.
"""
