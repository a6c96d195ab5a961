# -*- coding: utf-8 -*-
# Prints what gilsim needs to know of the interpreter running it, as one line
# of JSON. Passed with -c, so that it needs no file; 2.7 and 3.x alike.
import json
import platform
import sys

try:
    import sysconfig
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
except ImportError:
    free_threaded = False
gil = getattr(sys, "_is_gil_enabled", None)
sys.stdout.write(json.dumps({
    "version": platform.python_version(),
    "version_info": list(sys.version_info[:3]),
    "implementation": platform.python_implementation(),
    "free_threaded": free_threaded,
    "gil_enabled": True if gil is None else bool(gil()),
    "executable": sys.executable or "",
}) + "\n")
