from aban.cli import main

main()
