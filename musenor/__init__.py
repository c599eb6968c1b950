"""The ``musenor`` command line: the only place that knows every part of the hub."""
