"""Run the whole suite under stestr and end with 'N passed, N failed'.

stestr's own summary is meant for people; CI reads the plain last line
this script prints, counted from the subunit stream of the run.
"""

import io
import subprocess
import sys

import subunit
import testtools


def summarize():
    """Count the outcomes of the last stestr run."""
    stream = subprocess.run([sys.executable, '-m', 'stestr', 'last',
                             '--subunit'], capture_output=True, check=False)
    counts = {'success': 0, 'fail': 0, 'skip': 0}

    def on_test(test):
        status = test['status']
        if status in ('success', 'xfail'):
            counts['success'] += 1
        elif status == 'skip':
            counts['skip'] += 1
        else:
            counts['fail'] += 1

    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    subunit.ByteStreamToStreamResult(
        io.BytesIO(stream.stdout), non_subunit_name='stdout').run(result)
    result.stopTestRun()
    return counts


def main(argv):
    run = subprocess.run([sys.executable, '-m', 'stestr', 'run'] + argv,
                         check=False)
    counts = summarize()
    if run.returncode != 0 and counts['fail'] == 0:
        # The runner failed outside any test (an import error, say).
        counts['fail'] = 1
    line = '%d passed, %d failed' % (counts['success'], counts['fail'])
    if counts['skip']:
        line += ', %d skipped' % counts['skip']
    print(line)
    return 0 if counts['fail'] == 0 and counts['success'] > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
