"""The `gandang` console command: Django's management commands plus the product's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandang.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv if len(sys.argv) > 1 else [sys.argv[0], "help"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
