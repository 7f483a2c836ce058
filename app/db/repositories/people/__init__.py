"""Agencies, people, HRIS sync, stage declarations and staff-group assignments."""
