"""``python -m coursekit``: the course's command line."""

from coursekit.demo import run_demo

if __name__ == "__main__":
    run_demo()
