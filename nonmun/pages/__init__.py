"""The page layer: a function per page kind returning plain data, and the templates
that turn it into HTML, shared by the static site and the web app."""

from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
PACKAGE_STATIC = Path(__file__).parent / "static"
