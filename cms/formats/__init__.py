"""Our own format overrides per language (``FORMAT_MODULE_PATH``, cms/settings/i18n.py).

Django's own locale formats serve cs, de, it, pl, sk and sl well. Only English
needs one: Django's ``en`` is American ("May 20, 2011", "05/20/2011",
"2:30 p.m."), while this network's English is the EU's and Britain's.
"""
