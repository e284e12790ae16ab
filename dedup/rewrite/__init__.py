"""Applying a removal plan to the source: text spans and HTML markup."""
