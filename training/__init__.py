"""The workshop: corpus -> model folder -> numbers."""
