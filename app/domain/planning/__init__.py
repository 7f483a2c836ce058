"""Individual development plans (IDP1, IDP2) and their 70:20:10 rules, as pure domain code.

See docs/planning.md for the rules, their ids and seed references.
"""
