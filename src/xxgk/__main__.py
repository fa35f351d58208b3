"""``python -m xxgk``."""

from xxgk.cli import main

# Guarded: on Windows the build's worker processes re-import the main module (spawn).
if __name__ == "__main__":
    main()
