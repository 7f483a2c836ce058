"""Agency reporting: KPIs, analyses, small-group suppression (docs/reporting.md)."""
