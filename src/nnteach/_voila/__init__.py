"""nnteach's Voila template (``voila/templates/nnteach``) and the class-size kernel cap.

The folder is a Jupyter data directory: ``nnteach serve`` puts it first on ``JUPYTER_PATH``,
so Voila finds the ``nnteach`` template in a wheel and in an editable install alike.
"""
