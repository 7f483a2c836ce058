"""Cross-feature queries: the change order that delta reads follow, agency subtrees."""
