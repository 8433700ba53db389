"""The doors people use: the HTTP service (and its page) onto the inference API in models/."""
