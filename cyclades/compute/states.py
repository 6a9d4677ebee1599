"""Server statuses, the tasks that move servers between them, and the
outcome of each task.

Both the API (which starts tasks) and the compute daemon (which ends
them) read this table, so a rule about a task lives in one place.

A task is pending while ``task_state`` holds its name.  The API sets it
with a compare-and-swap on (status, empty task), so that of two racing
requests only one starts; the compute daemon clears it with a
compare-and-swap on the task name, so that a request that overtook it
(a delete, say) is never undone.

When a task fails, what the server becomes depends on what the failure
may have left behind.  A task that only changes the power state, a
password or makes an image leaves the server as it was, so the server
returns to the status of its power state.  A task that changes the
server's size may leave it half changed, so the server goes to ERROR
for someone to look at.  Either way a diagnostics entry says why.
"""

import dataclasses

# Statuses, as the API shows them.
BUILD = 'BUILD'
ACTIVE = 'ACTIVE'
STOPPED = 'STOPPED'
REBOOT = 'REBOOT'
HARD_REBOOT = 'HARD_REBOOT'
RESIZE = 'RESIZE'
VERIFY_RESIZE = 'VERIFY_RESIZE'
REVERT_RESIZE = 'REVERT_RESIZE'
PASSWORD = 'PASSWORD'
ERROR = 'ERROR'
DELETED = 'DELETED'
UNKNOWN = 'UNKNOWN'

# The value of task_state when nothing is pending.
NO_TASK = ''


@dataclasses.dataclass(frozen=True)
class Task:
    """One kind of work the compute daemon does on a server.

    :param name: the value of ``task_state`` while it is pending.
    :param label: how diagnostics entries name it.
    :param needs: the statuses a request may start it from.
    :param pending: the status while it is pending; None keeps the
        status the server had.
    :param leaves_error: a failure puts the server in ERROR instead of
        back in the status of its power state.
    """

    name: str
    label: str
    needs: frozenset = frozenset()
    pending: str | None = None
    leaves_error: bool = False


BUILDING = Task('BUILDING', 'Build', pending=BUILD, leaves_error=True)
DESTROYING = Task('DESTROYING', 'Destroy', leaves_error=True)
STARTING = Task('STARTING', 'Start', frozenset([STOPPED]))
STOPPING = Task('STOPPING', 'Shutdown', frozenset([ACTIVE]))
REBOOTING = Task('REBOOTING', 'Reboot', frozenset([ACTIVE, STOPPED]),
                 pending=REBOOT)
REBOOTING_HARD = Task('REBOOTING_HARD', 'Hard reboot',
                      frozenset([ACTIVE, STOPPED]), pending=HARD_REBOOT)
RESIZING = Task('RESIZING', 'Resize', frozenset([ACTIVE, STOPPED]),
                pending=RESIZE, leaves_error=True)
REVERTING_RESIZE = Task('REVERTING_RESIZE', 'Resize revert',
                        frozenset([VERIFY_RESIZE]), pending=REVERT_RESIZE,
                        leaves_error=True)
CHANGING_PASSWORD = Task('CHANGING_PASSWORD', 'Password change',
                         frozenset([ACTIVE]), pending=PASSWORD)
SNAPSHOTTING = Task('SNAPSHOTTING', 'Image creation',
                    frozenset([ACTIVE, STOPPED]))

TASKS = {task.name: task for task in (
    BUILDING, DESTROYING, STARTING, STOPPING, REBOOTING, REBOOTING_HARD,
    RESIZING, REVERTING_RESIZE, CHANGING_PASSWORD, SNAPSHOTTING)}


def power_status(powered_on):
    """The status of a settled server that is running or not."""
    return ACTIVE if powered_on else STOPPED


def task_of(name):
    """The Task of a ``task_state`` value; unknown names count as
    tasks whose failure leaves an error, the safe assumption.
    """
    return TASKS.get(name) or Task(name, name.capitalize(),
                                   leaves_error=True)


def cleared(**values):
    """Column values that end the pending task, plus ``values``."""
    return dict(task_state=NO_TASK, task_started_at=None, **values)


def failed(task_name, powered_on):
    """Column values for a server whose task failed or was abandoned."""
    if task_of(task_name).leaves_error:
        return cleared(status=ERROR)
    return cleared(status=power_status(powered_on))


def resize_confirmed(powered_on):
    """Column values that settle a server in VERIFY_RESIZE."""
    return dict(status=power_status(powered_on), old_flavor_id=None,
                resized_at=None)
