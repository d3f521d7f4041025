"""The deck: its shape (model), loading and checking (load, schema, yamlfile, text), the
checked-deck cache and quality signals. Imports neither Typer nor Rich."""
