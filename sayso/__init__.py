"""The `sayso` command line."""
