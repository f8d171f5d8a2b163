from praxis.cli import main

main()
