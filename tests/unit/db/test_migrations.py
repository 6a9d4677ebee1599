"""The migrations build exactly the schema the models describe."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import sqlalchemy as sa
import testscenarios

from cyclades.db import models
from tests import base
from tests import db_fixtures

load_tests = testscenarios.load_tests_apply_scenarios


class MigrationsMatchModelsTest(base.TestCase):

    scenarios = [('sqlite', {'backend': 'sqlite'}),
                 ('postgresql', {'backend': 'postgresql'}),
                 ('mysql', {'backend': 'mysql'})]

    def test_no_difference(self):
        database = self.useFixture(
            db_fixtures.Database(self.config_fixture, self.backend))
        engine = sa.create_engine(database.url)
        self.addCleanup(engine.dispose)

        with engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection, opts={'compare_type': True})
            differences = autogenerate.compare_metadata(
                context, models.Base.metadata)

        self.assertEqual([], differences)
