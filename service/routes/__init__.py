"""Thin route modules: validate, call the batcher or state, shape the answer."""
