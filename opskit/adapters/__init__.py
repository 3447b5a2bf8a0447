"""All side effects live here, thin and typed: filesystem, processes, PostgreSQL, sockets, HTTP, DNS."""
