"""Demo and load data: the demo company of ``manage.py demo`` and the bulk rows of ``manage.py populate``.

``data`` holds the word lists, ``people`` the small generators, ``specs``/``partners_plan``/``plan`` the
demo as plain data, ``writer`` writes it through the services, and ``bulk`` makes load data fast.
"""
