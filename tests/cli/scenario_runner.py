"""Runs the scenario_* functions of a test module, each in a scratch folder of its own,
and prints one line per scenario and a closing 'N passed, N failed'; and the helpers
the scenario scripts share."""

import os
import shutil
import tempfile


def write(path, content, newline=None):
    """Writes text (UTF-8) or bytes to path, making its folders."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if isinstance(content, bytes):
        with open(path, "wb") as handle:
            handle.write(content)
        return
    with open(path, "w", encoding="utf-8", newline=newline) as handle:
        handle.write(content)


def remove_tree(root):
    # Scenarios may lock folders (mode 000) to test unreadable input.
    for folder, dirs, _ in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
    shutil.rmtree(root, ignore_errors=True)


def run_scenarios(namespace, prefix):
    """Runs every function named scenario_* in namespace (a module's globals()) with a
    new scratch folder; returns the exit status: 0 when all pass."""
    scenarios = [(name, fn) for name, fn in sorted(namespace.items()) if name.startswith("scenario_")]
    passed = failed = 0
    for name, function in scenarios:
        root = tempfile.mkdtemp(prefix=prefix)
        try:
            function(root)
            passed += 1
            print(f"ok   {name}")
        except Exception as error:  # noqa: BLE001 - every failure is reported the same way
            failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}")
        finally:
            remove_tree(root)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
