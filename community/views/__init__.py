"""Portal pages, one module per family; base.py holds the list/detail plumbing they share."""
