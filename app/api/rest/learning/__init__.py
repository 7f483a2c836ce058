"""The xAPI Statement resource (/xapi)."""
