"""Pure planning for moving a Headscale tenant between cluster ids: schema model, plan, journal."""
