"""Agency reporting: KPIs, analyses, exports and printable documents (use cases)."""
