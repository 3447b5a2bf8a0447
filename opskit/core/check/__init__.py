"""Pure judgement for `opskit check`: what live answers mean, explained for an operator."""
