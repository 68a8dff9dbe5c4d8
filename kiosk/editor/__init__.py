"""The curators' desktop editor."""
