"""sayso's shared core: what a trained model is and how it reads text."""
