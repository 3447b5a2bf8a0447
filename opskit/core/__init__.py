"""Pure core: parsers, models, rules and planners. No files, processes, sockets, DB, env or clock."""
