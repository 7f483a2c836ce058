"""The ranges of PostgreSQL's integer types: no number the API accepts may fall outside the
column it is stored in or compared with."""

from __future__ import annotations

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
INT8_MIN, INT8_MAX = -(2**63), 2**63 - 1
