"""charter: a Delaware corporation's certificate and bylaws, executable over its stock ledger."""

__version__ = "0.1.0"
