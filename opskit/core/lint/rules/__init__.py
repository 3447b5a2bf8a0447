"""One module per rule; the catalog (``opskit.core.lint.catalog.RULE_MODULES``) lists them."""
