from opskit.cli.app import main

main()
