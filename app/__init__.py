"""Thaksa: the civil service's digital-skills programme as a service."""

__version__ = "0.1.0"
