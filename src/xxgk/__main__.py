"""``python -m xxgk``."""

from xxgk.cli import main

main()
