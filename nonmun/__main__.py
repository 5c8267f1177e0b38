"""Allow ``python -m nonmun``."""

from nonmun.cli import main

main()
