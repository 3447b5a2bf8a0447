"""Pure editing of Traefik dynamic configuration (text in, text out)."""
