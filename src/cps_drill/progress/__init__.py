"""The progress folder: the log of records (the truth), its upgrades, the derived cache,
backups and restore. Imports neither Typer nor Rich, nor the study session."""
