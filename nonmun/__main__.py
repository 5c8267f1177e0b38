"""Allow ``python -m nonmun``."""

from nonmun.cli import main

if __name__ == "__main__":
    main()
