"""The ok/FAIL lines of the Python unit checks, as tests/run.sh counts
them: case() runs one check and prints its line; done() exits 1 if any
failed."""
import sys

failures = 0


def case(name, fn):
    global failures
    try:
        fn()
        print(f"ok {name}")
    except Exception as e:  # noqa: BLE001 - report any failure
        failures += 1
        print(f"FAIL {name}: {e!r}")


def done():
    sys.exit(1 if failures else 0)
