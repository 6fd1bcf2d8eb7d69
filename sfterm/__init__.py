"""sfterm: answer customers' text requests from the terminal."""

__version__ = "0.1.0"
