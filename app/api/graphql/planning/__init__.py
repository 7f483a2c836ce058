"""Individual development plans (IDP1, IDP2) and planning policies."""
