"""ClaimWatch: news alerts about who claimed what, only when it is new."""

__version__ = "0.1.0"
