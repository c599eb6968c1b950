"""SKOS vocabularies shipped with the hub (one Turtle file each) and the term normaliser.

Implemented in vocabularies/normaliser.py and vocabularies/loader.py (see the mappings issue).
"""
