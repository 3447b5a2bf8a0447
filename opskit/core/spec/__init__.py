"""The YAML spec that `opskit render` turns into configs: pydantic models whose validators stop injection."""
