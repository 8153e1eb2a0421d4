"""Entry point for ``python -m registry``: the same Typer application as the ``registry`` command."""

from registry.cli import main

if __name__ == "__main__":
    main()
