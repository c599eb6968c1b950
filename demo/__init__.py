"""The demonstration network: five member museums, their exports and the local museum endpoint.

``demo/generate.py`` writes every export in ``demo/data`` from ``demo/works.py``; ``musenor demo``
(``musenor/demo.py``) harvests them with ``demo/musenor.toml``. The records are demonstration data, not the
museums' real catalogue.
"""
