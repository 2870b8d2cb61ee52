"""``python -m nnteach._voila``: the class server (Voila with nnteach's kernel handlers)."""

from nnteach._voila.app import main

if __name__ == "__main__":
    main()
