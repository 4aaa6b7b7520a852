from scanner.cli.main import cli

cli(prog_name="shadowai")
