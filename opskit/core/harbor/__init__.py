"""Pure knowledge about Harbor's behaviour (token realm, CSRF cookie), shared by render and check."""
