"""The ``tinynet`` command line: a thin click layer over the engine (no math here)."""
