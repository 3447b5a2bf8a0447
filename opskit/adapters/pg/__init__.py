"""PostgreSQL side of the Headscale tenant move (psycopg 3), one module per concern."""
