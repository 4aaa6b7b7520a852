from scanner.cli.main import cli

if __name__ == "__main__":  # a worker process started by "spawn" imports this module again: do not re-run
    cli(prog_name="shadowai")
