"""The table of tasks and what their ends leave behind."""

from cyclades.compute import states
from tests import base


class StatesTest(base.TestCase):

    def test_power_status(self):
        self.assertEqual('ACTIVE', states.power_status(True))
        self.assertEqual('STOPPED', states.power_status(False))

    def test_failure_of_a_power_task_restores_the_power_state(self):
        for task in (states.STARTING, states.STOPPING, states.REBOOTING,
                     states.REBOOTING_HARD, states.CHANGING_PASSWORD,
                     states.SNAPSHOTTING):
            self.assertEqual(
                {'status': 'STOPPED', 'task_state': '',
                 'task_started_at': None},
                states.failed(task.name, powered_on=False), task.name)
            self.assertEqual('ACTIVE',
                             states.failed(task.name, True)['status'])

    def test_failure_of_a_size_change_leaves_error(self):
        for task in (states.RESIZING, states.REVERTING_RESIZE,
                     states.BUILDING, states.DESTROYING):
            self.assertEqual('ERROR',
                             states.failed(task.name, True)['status'],
                             task.name)

    def test_unknown_task_counts_as_one_that_leaves_error(self):
        task = states.task_of('MIGRATING')

        self.assertEqual('MIGRATING', task.name)
        self.assertTrue(task.leaves_error)
        self.assertEqual('ERROR', states.failed('MIGRATING', True)['status'])

    def test_table_matches_the_contract(self):
        self.assertEqual({'STOPPED'}, states.STARTING.needs)
        self.assertEqual({'ACTIVE'}, states.STOPPING.needs)
        self.assertEqual({'ACTIVE', 'STOPPED'}, states.REBOOTING.needs)
        self.assertEqual('REBOOT', states.REBOOTING.pending)
        self.assertEqual('HARD_REBOOT', states.REBOOTING_HARD.pending)
        self.assertEqual({'ACTIVE', 'STOPPED'}, states.RESIZING.needs)
        self.assertEqual('RESIZE', states.RESIZING.pending)
        self.assertEqual({'VERIFY_RESIZE'}, states.REVERTING_RESIZE.needs)
        self.assertEqual('REVERT_RESIZE', states.REVERTING_RESIZE.pending)
        self.assertEqual({'ACTIVE'}, states.CHANGING_PASSWORD.needs)
        self.assertEqual('PASSWORD', states.CHANGING_PASSWORD.pending)
        self.assertIsNone(states.SNAPSHOTTING.pending)
        for name, task in states.TASKS.items():
            self.assertEqual(name, task.name)

    def test_resize_confirmed(self):
        self.assertEqual({'status': 'STOPPED', 'old_flavor_id': None,
                          'resized_at': None},
                         states.resize_confirmed(False))
        self.assertEqual('ACTIVE', states.resize_confirmed(True)['status'])
