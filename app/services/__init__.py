"""Use cases: one transaction each (the caller's session), authorisation decided here."""
