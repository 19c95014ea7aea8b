"""The ``ioemissions`` command line."""
