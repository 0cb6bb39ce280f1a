"""Development tools kept out of the wheel (run them from the repository's root).

* ``python -m tools.fakehub``: a local stand-in for the Hugging Face papers API.
"""
