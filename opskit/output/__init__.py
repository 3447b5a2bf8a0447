"""Renderers: rich for people, versioned JSON for machines."""
