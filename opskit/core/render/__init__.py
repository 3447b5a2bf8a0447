"""Rendering: spec models → config text in memory. Writing, diffing on disk and validating are adapters."""
