"""The readers' copy of the database file (``<file>.snapshot``, with its data version in
``<file>.snapshot.version``): how it is copied, put in place and dated. Readers of other
processes open it while a long write holds the file (:mod:`cx.db`).

The standard library only: the process :func:`publish_in_background` starts imports
this module alone.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

_LOG = logging.getLogger("cx")


def snapshot_path(target: Path | str) -> Path:
    """The readers' copy of ``target`` (:func:`cx.db.publish_snapshot`)."""
    target = Path(target)
    return target.with_name(target.name + ".snapshot")


def _version_path(target: Path | str) -> Path:
    snap = snapshot_path(target)
    return snap.with_name(snap.name + ".version")


def published_version(target: Path | str) -> int | None:
    """The data version of the published snapshot of ``target``; None if none."""
    try:
        return int(_version_path(target).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _copy_elsewhere(source: Path, target: Path) -> None:
    """Copy a file in another process: a descriptor of the database file opened and
    closed in this one would drop DuckDB's lock on it (see :func:`cx.db.holds`). OSError
    when the copy fails (a full disk, a read-only folder)."""
    cp = shutil.which("cp")
    command = (
        [cp, "--", str(source), str(target)]
        if cp
        else [sys.executable, "-c", _COPY_CHILD, str(source), str(target)]
    )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise OSError(errno.EIO, done.stderr.strip() or "copy failed", str(target))


_COPY_CHILD = "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])"


def _part_path(target: Path | str, pid: int | None = None) -> Path:
    snap = snapshot_path(target)
    return snap.with_name(f".{snap.name}.{os.getpid() if pid is None else pid}.part")


@contextlib.contextmanager
def _publishing(target: Path | str) -> Iterator[None]:
    """One process at a time puts a copy in place (``<file>.snapshot.lock``): a copy made
    in the background after one write and one made at the start of the next meet here."""
    import fcntl

    with _version_path(target).with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _put_in_place(part: Path, target: Path, version: int, only_newer: bool = False) -> bool:
    """Rename the copy ``part`` into place as ``target``'s snapshot (a reader opens the old
    copy or the new one, never half of one), then record its data version. With
    ``only_newer``, a copy no newer than the one published is dropped instead."""
    snap, stamp = snapshot_path(target), _version_path(target)
    with _publishing(target):
        if only_newer and snap.exists() and (published_version(target) or 0) >= version:
            part.unlink(missing_ok=True)
            return False
        stamp.unlink(missing_ok=True)  # no claim while the copy changes
        os.replace(part, snap)
        stamp_part = stamp.with_name(f".{stamp.name}.{os.getpid()}.part")
        stamp_part.write_text(str(version), encoding="ascii")
        os.replace(stamp_part, stamp)
    return True


def _forget_dead_parts(target: Path) -> None:
    """Half copies a killed process left behind (each as large as the file)."""
    snap = snapshot_path(target)
    for part in snap.parent.glob(f".{snap.name}.*.part"):
        pid = part.name[len(snap.name) + 2 : -len(".part")]
        if pid.isdigit() and not pid_alive(int(pid)):
            part.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether a process of this id runs (or runs under another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish_copy(source: Path, target: Path, version: int) -> bool:
    """Copy the checkpointed file ``source`` as ``target``'s snapshot of data version
    ``version`` (:func:`_put_in_place`). False, logged, when it cannot be written (a full
    disk, a read-only folder): the write it follows stands, readers wait instead."""
    part = _part_path(target)
    try:
        _copy_elsewhere(source, part)
        return _put_in_place(part, target, version)
    except OSError as exc:
        part.unlink(missing_ok=True)
        _LOG.warning("readers' snapshot of %s not published: %s", target, exc)
        return False


# A file last written this long ago, and unchanged after a copy of it, was not written
# during the copy: the kernel stamps a write with a clock that moves in steps of a few ms.
STILL_FOR = 0.05
PUBLISH_TRIES = 3


def _file_state(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def publish_when_still(
    target: Path | str, version: int, copy: Callable[[Path, Path], None] | None = None
) -> bool:
    """Publish the readers' copy of ``target`` without holding the file: copy it, and put
    the copy in place only if no write touched the file meanwhile (else copy again, at
    most :data:`PUBLISH_TRIES` times), recorded as data version ``version``: the version
    the write that asks for it committed and checkpointed, so the copy holds that or a
    later one (never less than it claims). A copy no newer than the published one is
    dropped. Run by :func:`publish_in_background`'s process; ``copy`` is
    :func:`_copy_elsewhere` unless a test gives its own."""
    target = Path(target)
    copy = copy or _copy_elsewhere
    _forget_dead_parts(target)
    part = _part_path(target)
    try:
        for _ in range(PUBLISH_TRIES):
            before = _file_state(target)
            deadline = time.monotonic() + 30  # written again and again: leave it be
            while (quiet := time.time() - before[2] / 1e9) < STILL_FOR:
                if time.monotonic() > deadline:
                    return False
                time.sleep(STILL_FOR - quiet)
                before = _file_state(target)
            copy(target, part)
            if _file_state(target) != before:  # written meanwhile: the copy may mix states
                part.unlink(missing_ok=True)
                time.sleep(STILL_FOR)
                continue
            return _put_in_place(part, target, version, only_newer=True)
        return False
    except OSError as exc:
        _LOG.warning("readers' snapshot of %s not published: %s", target, exc)
        return False
    finally:
        part.unlink(missing_ok=True)


_PUBLISH_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); from cx import snapshot;"
    " sys.exit(0 if snapshot.publish_when_still(sys.argv[2], int(sys.argv[3])) else 1)"
)
_PUBLISHERS: list[subprocess.Popen] = []  # this process's publishers still copying


def publish_in_background(path: Path, version: int) -> subprocess.Popen:
    """Start another process that runs :func:`publish_when_still` for ``path`` at data
    version ``version`` (it imports this module alone, the standard library only: about
    30 ms to start). It goes on after this process ends, and an interrupted command line
    does not stop it halfway."""
    _PUBLISHERS[:] = [p for p in _PUBLISHERS if p.poll() is None]
    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.Popen(
        [sys.executable, "-c", _PUBLISH_CHILD, root, str(path), str(int(version))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _PUBLISHERS.append(proc)
    return proc


def wait_for_publishers(timeout: float = 120) -> None:
    """Wait until the readers' copies this process started publishing are in place."""
    for proc in list(_PUBLISHERS):
        proc.wait(timeout=timeout)
    _PUBLISHERS.clear()
