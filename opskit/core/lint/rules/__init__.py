"""One module per rule; the registry (``opskit.core.lint.registry.RULE_MODULES``) lists them."""
