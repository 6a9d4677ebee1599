"""Request bodies checked against JSON schemas.

jsonschema does the checking so that each body's rules are data that
can be read in one place.  A failure becomes a 400 naming the field;
limits on counts (maxItems, maxProperties) become the 413 overLimit the
contract asks for.
"""

import jsonschema

from cyclades import exception

_OVER_LIMIT_VALIDATORS = ('maxItems', 'maxProperties')

_validators = {}


def _validator(schema):
    """Compile each schema once.

    The cache holds the schema itself as well, so that its id can never
    be reused by another object while the entry exists.
    """
    key = id(schema)
    if key not in _validators:
        jsonschema.Draft202012Validator.check_schema(schema)
        _validators[key] = (schema,
                            jsonschema.Draft202012Validator(schema))
    return _validators[key][1]


def _field(error):
    path = [str(part) for part in error.absolute_path]
    return '.'.join(path) if path else '(body)'


def validate(schema, value, prefix=''):
    """Check ``value`` against ``schema``.

    :param prefix: the path of ``value`` in the request, for messages.
    :raises OverLimit: a count limit is exceeded.
    :raises BadRequest: anything else is wrong.
    """
    error = jsonschema.exceptions.best_match(
        _validator(schema).iter_errors(value))
    if error is None:
        return

    field = _field(error)
    if prefix:
        field = prefix if field == '(body)' else '%s.%s' % (prefix, field)
    if error.validator in _OVER_LIMIT_VALIDATORS:
        raise exception.OverLimit('Too many items in %s: the limit is %s'
                                  % (field, error.validator_value))
    if error.validator == 'additionalProperties':
        message = 'Invalid field %s: %s' % (field, error.message)
    elif error.validator == 'required':
        message = 'Missing field in %s: %s' % (field, error.message)
    else:
        message = 'Invalid %s: %s' % (field, error.message)
    raise exception.BadRequest(message)
