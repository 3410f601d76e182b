from tests.hr.people_world import world  # noqa: F401  (the fixture of the list and its exports)
