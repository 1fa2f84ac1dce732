"""The application's operations, one per feature, called alike by the window and by the
``orientation`` command: no Qt here (a test checks it), no printing, no argparse. Each
operation composes ``db`` (data, rules) and ``reports`` (rendering) and returns plain values;
the window and the command line only ask, then show the result their own way.
"""
