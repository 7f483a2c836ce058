"""Agency reporting: KPIs, analyses, exports and printable documents (pure rules)."""
