"""Side effects for `opskit sockets`: list and cut TCP sessions."""
