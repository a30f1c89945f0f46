from coprokg.cli import main

main()
