from cps_drill.cli import main

main()
