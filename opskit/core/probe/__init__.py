"""Pure judgement for `opskit probe`: turns measured connection lifetimes into a verdict."""
