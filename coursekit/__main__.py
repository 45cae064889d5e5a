"""``python -m coursekit``: the course's command line (``status`` when run without a command)."""

from coursekit.cli import main

if __name__ == "__main__":
    main()
