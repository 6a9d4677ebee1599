"""Helpers the operator command modules share."""


def args(*flags, **kwargs):
    """Declare an argparse argument of an action.

    Decorators apply from the bottom up, so each one inserts its
    argument first: the arguments keep the order they are written in.
    Avoid the dest ``name``, which oslo.config keeps for the chosen
    category.
    """
    def decorate(method):
        if 'arguments' not in vars(method):
            method.arguments = []
        method.arguments.insert(0, (flags, kwargs))
        return method
    return decorate


def print_table(headers, rows):
    """Print rows under headers, in columns as wide as their values."""
    rows = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(header)] + [len(row[index]) for row in rows])
              for index, header in enumerate(headers)]
    for row in [list(headers)] + rows:
        print('  '.join(value.ljust(width)
                        for value, width in zip(row, widths)).rstrip())


def _cell(value):
    if value is None:
        return '-'
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    return str(value)
