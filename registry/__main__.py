"""Entry point for ``python -m registry``: the same Typer application as ``registry``."""

from registry.cli import main

if __name__ == "__main__":
    main()
