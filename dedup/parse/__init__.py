"""Decoded documents into blocks: HTML, plain text, Markdown."""
