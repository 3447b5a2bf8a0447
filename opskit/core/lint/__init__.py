"""`opskit lint`: rules over parsed nginx and HAProxy configs, run by one engine."""
