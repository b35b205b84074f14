"""Atomic writes: `--in-place` killed at any moment leaves every file old or new, never cut short.

The real command runs in a subprocess on a folder of dirty files (many small, a few large) and
is sent SIGKILL at several moments, one of them while a temporary file is known to exist. After
each kill every file must hold exactly its old or its new content; the temporary files left
behind are hidden, never taken as inputs, and swept by the next run that writes into the folder.
"""
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import files

PARAGRAPHS = [
    "The council approved the budget on Tuesday after a long debate , officials said.",
    "Share this article",
    "Prices rose  sharply,, and analysts were surprised!!",
    "The mayor said the new spending would begin in the spring and last for several years.",
    "Advertisement",
    "Residents who spoke at the meeting asked for more money for parks and libraries.",
]


def dirty(n: int, paragraphs: int) -> str:
    body = [f"{PARAGRAPHS[(n + i) % len(PARAGRAPHS)]} (paragraph {i} of story {n})"
            if PARAGRAPHS[(n + i) % len(PARAGRAPHS)][0] != "S" and PARAGRAPHS[(n + i) % len(PARAGRAPHS)] != "Advertisement"
            else PARAGRAPHS[(n + i) % len(PARAGRAPHS)] for i in range(paragraphs)]
    return f"Story number {n}\n\n" + "\n\n".join(body) + "\n"


def command(folder: Path) -> list[str]:
    return [sys.executable, "-m", "cleaner", "clean", "--in-place", "--quiet", "--no-grammar", "--jobs", "1",
            str(folder)]


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Old contents, and the new ones a complete run makes of them."""
    base = tmp_path_factory.mktemp("atomic")
    old_dir = base / "old"
    old_dir.mkdir()
    for n in range(120):
        (old_dir / f"story{n:03}.txt").write_text(dirty(n, 60))
    for n in range(120, 123):
        (old_dir / f"story{n:03}.txt").write_text(dirty(n, 4000))  # about 350 KB each
    new_dir = base / "new"
    shutil.copytree(old_dir, new_dir)
    proc = subprocess.run(command(new_dir), capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 1, proc.stderr
    old = {p.name: p.read_bytes() for p in old_dir.iterdir()}
    new = {p.name: p.read_bytes() for p in new_dir.iterdir()}
    assert all(old[name] != new[name] for name in old)
    return old_dir, old, new


def kill_when(folder: Path, *, after: float | None = None, mid_write: bool = False, limit: float = 120):
    """Start the in-place run, SIGKILL it after ``after`` seconds or as soon as a temp file is seen."""
    proc = subprocess.Popen(command(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    started = time.monotonic()
    try:
        while proc.poll() is None and time.monotonic() - started < limit:
            if after is not None and time.monotonic() - started >= after:
                break
            if mid_write and any(".cleaner-" in name for name in os.listdir(folder)):
                break
            time.sleep(0.0005 if mid_write else 0.01)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.returncode


def check_old_or_new(folder: Path, old: dict, new: dict) -> int:
    """Every input file is byte for byte old or new; returns how many are new."""
    done = 0
    for name in old:
        data = (folder / name).read_bytes()
        assert data in (old[name], new[name]), f"{name} is neither old nor new ({len(data)} bytes)"
        done += data == new[name]
    return done


def test_sigkill_at_any_moment_leaves_old_or_new_files(corpus, tmp_path):
    old_dir, old, new = corpus
    folder = tmp_path / "posts"
    shutil.copytree(old_dir, folder)
    killed_mid_write = False
    progress = []
    for moment in (None, 0.9, 1.3, None, 1.8, 2.5, None, 3.5):
        code = kill_when(folder, after=moment, mid_write=moment is None)
        killed_mid_write |= moment is None and code == -signal.SIGKILL
        progress.append(check_old_or_new(folder, old, new))
        found = [f.path.name for f in files.discover([str(folder)])]
        assert sorted(found) == sorted(old), "a temporary file was taken as an input"
    assert killed_mid_write, "no kill landed while a temporary file existed"
    assert progress == sorted(progress), progress  # files only ever go from old to new
    # One file back to its old content, so the next run writes into the folder and sweeps it.
    first = sorted(old)[0]
    (folder / first).write_bytes(old[first])
    proc = subprocess.run(command(folder), capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 1, proc.stderr
    assert check_old_or_new(folder, old, new) == len(old)
    assert temps(folder) == []


def test_atomic_write_keeps_mode_and_follows_symlinks(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    files.atomic_write(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert temps(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "post.md"
    target.write_text("old\n")

    def full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        files.atomic_write(target, "new\n")
    assert target.read_text() == "old\n" and temps(tmp_path) == []


def test_stale_temps_of_dead_writers_are_swept_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    stale = tmp_path / f".post.md.cleaner-{dead.stdout.strip()}-abc123.tmp"
    live = tmp_path / f".post.md.cleaner-{os.getppid()}-def456.tmp"
    other = tmp_path / ".notes.md.swp"
    for path in (stale, live, other):
        path.write_text("partial")
    assert files.sweep_stale_temps(tmp_path) == 1
    assert temps(tmp_path) == sorted([live.name, other.name])
