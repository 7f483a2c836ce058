"""The pure core: framework model and rules. Standard library and pydantic only, no I/O."""
