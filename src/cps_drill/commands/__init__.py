"""One module per command. Each calls the core and returns a result that the screen draws (and
that --json prints, where a command offers it); `cli.py` only wires Typer to them."""
