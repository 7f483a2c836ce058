"""Agencies, people and the staff-group workflow: pure records and rules."""
