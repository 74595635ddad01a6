"""The version of tinynet, in one place: the package, its model files and its build read it here."""

__version__ = "0.2.0"
