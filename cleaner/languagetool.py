"""LanguageTool: find the provisioned jars, run a local server, and check text against it.

This module owns the server's lifecycle and the HTTP client only; what to do with the matches
belongs to the stages that call it.

* :func:`find_languagetool` locates the folder that ``make setup`` fills (``jars/`` + ``.complete``).
* :class:`LanguageToolServer` runs ``org.languagetool.server.HTTPServer`` on a free loopback port
  and makes sure the JVM never outlives this Python process.
* :class:`GrammarClient` sends paragraphs to a server and returns :class:`GrammarMatch` objects
  whose ``start``/``end`` are Python ``str`` indices, with an optional persistent
  :class:`GrammarCache` so unchanged paragraphs are not checked twice.
* :class:`SentenceGate` picks the sentences of a paragraph worth sending when only a few rules
  run, so the server does not tag and disambiguate the others.
"""
from __future__ import annotations

import atexit
import ctypes
import dataclasses
import hashlib
import http.client
import json
import logging
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import language_tool_python

from cleaner.errors import CleanerError

__all__ = [
    "DEFAULT_HEAP",
    "DEFAULT_SERVER_CONFIG",
    "ENV_CACHE_DIR",
    "ENV_JARS",
    "SERVER_CLASS",
    "GrammarCache",
    "GrammarClient",
    "GrammarMatch",
    "LanguageToolError",
    "LanguageToolServer",
    "SentenceGate",
    "cache_key",
    "default_cache_dir",
    "find_languagetool",
    "healthcheck",
    "matches_from_response",
    "pom_languagetool_version",
    "py_to_utf16_offset",
    "sentence_spans",
    "server_version",
    "utf16_to_py_offsets",
]

log = logging.getLogger(__name__)

ENV_JARS = "CLEANER_LANGUAGETOOL_JARS"
ENV_CACHE_DIR = "CLEANER_CACHE_DIR"
DEFAULT_HEAP = "768m"
SERVER_CLASS = "org.languagetool.server.HTTPServer"
# Reusing rule pipelines between requests instead of building one per request halves the
# server's CPU time per paragraph and lowers its memory use.
DEFAULT_SERVER_CONFIG: dict[str, str | int | bool] = {"pipelineCaching": True}
COMPLETE_STAMP = ".complete"
SETUP_HINT = "run `make setup` to fetch the LanguageTool jars"

# The server logs three INFO lines per request; over a long batch that fills /tmp, so those two
# loggers are raised to WARN. Start-up messages and every warning or error are still written.
_QUIET_LOGBACK = """<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger %msg%n</pattern></encoder>
  </appender>
  <logger name="org.languagetool.server.LanguageToolHttpHandler" level="WARN"/>
  <logger name="org.languagetool.server.TextChecker" level="WARN"/>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
"""


class LanguageToolError(CleanerError):
    """LanguageTool is missing, would not start, died, or answered with an error."""


# --------------------------------------------------------------------------- locating the jars


def find_languagetool(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the provisioned LanguageTool folder (the one holding ``jars/``), or None.

    Looked up in this order, the first one that is *named* wins even if it is not provisioned,
    so a wrong setting is reported instead of silently replaced by another copy:

    1. ``explicit``;
    2. the ``CLEANER_LANGUAGETOOL_JARS`` environment variable;
    3. ``<repo>/.cache/languagetool/<version>``, where ``<repo>`` is the nearest ancestor of the
       current directory, then of this package, that has ``languagetool/pom.xml``, and
       ``<version>`` is that pom's ``<languagetool.version>`` property.

    A folder counts as provisioned when it has the ``.complete`` stamp (written last by
    ``make setup``, so a half-finished download is not used) and at least one jar.
    """
    named = explicit or os.environ.get(ENV_JARS) or None
    if named is not None:
        home = Path(named).expanduser().resolve()
        return home if _is_provisioned(home) else None
    try:
        starts = [Path.cwd(), Path(__file__).resolve().parent]
    except FileNotFoundError:  # the current directory was deleted
        starts = [Path(__file__).resolve().parent]
    for start in starts:
        home = _repo_cache_dir(start)
        if home is not None and _is_provisioned(home):
            return home
    return None


def _is_provisioned(home: Path) -> bool:
    """True when ``home`` has the completion stamp and a non-empty ``jars/`` folder."""
    jars = home / "jars"
    return (home / COMPLETE_STAMP).is_file() and jars.is_dir() and any(jars.glob("*.jar"))


def _repo_cache_dir(start: Path) -> Path | None:
    """The ``.cache/languagetool/<version>`` folder of the first repo found above ``start``."""
    for folder in (start, *start.parents):
        pom = folder / "languagetool" / "pom.xml"
        if pom.is_file():
            version = pom_languagetool_version(pom)
            if version:
                return folder / ".cache" / "languagetool" / version
    return None


def pom_languagetool_version(pom: str | os.PathLike[str]) -> str | None:
    """The ``<languagetool.version>`` property of a Maven pom, or None if absent or unreadable."""
    try:
        root = ET.parse(pom).getroot()
    except (OSError, ET.ParseError):
        return None
    node = root.find("./{*}properties/{*}languagetool.version")
    if node is None:  # a pom written without the Maven namespace
        node = root.find("./properties/languagetool.version")
    text = (node.text or "").strip() if node is not None else ""
    return text or None


# --------------------------------------------------------------------------- the server process


def _free_loopback_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now (the server may still lose a race for it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _find_java(java: str | os.PathLike[str] | None) -> str:
    """The java executable: the given one, else ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    if java is not None:
        return os.fspath(java)
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise LanguageToolError("no `java` executable found", hint="install Java 17 or set JAVA_HOME")
    return found


def _pdeathsig_preexec() -> Any:
    """A ``preexec_fn`` that makes the kernel SIGKILL the child when its parent thread dies.

    Linux only (returns None elsewhere). libc is loaded here, in the parent, because loading
    a library between fork and exec is not safe.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    pr_set_pdeathsig = 1
    parent = os.getpid()

    def preexec() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        # The parent may have died between fork() and prctl(); then nobody would send the signal.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def _read_tail(path: Path | None, limit: int = 4000) -> str:
    """The last ``limit`` characters of a log file, or '' if it cannot be read."""
    if path is None:
        return ""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            return handle.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _loopback_opener() -> urllib.request.OpenerDirector:
    """A urllib opener that ignores ``*_proxy`` variables: our server is never behind a proxy."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


_LOCAL_OPENER = _loopback_opener()


def _is_loopback_url(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host == "localhost" or host == "::1" or host.startswith("127.")


def _opener_for(url: str) -> urllib.request.OpenerDirector:
    """Loopback URLs bypass proxies; others use urllib's defaults (which honour the environment)."""
    return _LOCAL_OPENER if _is_loopback_url(url) else urllib.request.build_opener()


def healthcheck(url: str, timeout: float = 2.0) -> bool:
    """True when ``GET <url>/v2/healthcheck`` answers 200."""
    try:
        with _opener_for(url).open(f"{url.rstrip('/')}/v2/healthcheck", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, http.client.HTTPException):
        return False


class LanguageToolServer:
    """A LanguageTool HTTP server on a free port of 127.0.0.1, owned by this Python process.

    Use it as a context manager (``with LanguageToolServer() as lt: lt.url``) or call
    :meth:`start` and :meth:`stop`. The JVM cannot outlive Python: :meth:`stop` runs on leaving
    the ``with`` block (including on Ctrl-C) and at interpreter exit, and on Linux the kernel
    kills the JVM if Python itself is killed (``PR_SET_PDEATHSIG``).

    ``home`` is the folder holding ``jars/`` (default: :func:`find_languagetool`). ``config``
    entries override :data:`DEFAULT_SERVER_CONFIG` in the server's ``--config`` properties file
    (keys such as ``maxTextLength``, ``maxCheckThreads``, ``cacheSize``, ``pipelineCaching``;
    see ``HTTPServer --help``). ``log_requests`` keeps the
    server's per-request log lines, which are otherwise dropped. ``warm_up`` is a language
    checked once before :meth:`start` returns (None: skip): LanguageTool loads a language's rules
    on its first request, which takes several times longer than starting the server.
    """

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        *,
        heap: str = DEFAULT_HEAP,
        startup_timeout: float = 90.0,
        java: str | os.PathLike[str] | None = None,
        config: Mapping[str, str | int | bool] | None = None,
        port: int | None = None,
        log_requests: bool = False,
        warm_up: str | None = "en-US",
    ) -> None:
        self.home = Path(home).expanduser().resolve() if home is not None else None
        self.heap = heap
        self.startup_timeout = startup_timeout
        self.java = java
        self.config = {**DEFAULT_SERVER_CONFIG, **(config or {})}
        self._requested_port = port
        self.log_requests = log_requests
        self.warm_up = warm_up
        self._port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None
        self._workdir: Path | None = None
        self._release_spawner: threading.Event | None = None
        self._lock = threading.RLock()
        self.healthy_seconds: float | None = None  # until the healthcheck answered
        self.startup_seconds: float | None = None  # until start() returned

    # -- public surface

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` of the running server."""
        if self._port is None or self._proc is None:
            raise LanguageToolError("the LanguageTool server is not running")
        return f"http://127.0.0.1:{self._port}"

    @property
    def pid(self) -> int | None:
        """The JVM's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path | None:
        """The file receiving the server's stdout and stderr (removed by :meth:`stop`)."""
        return self._log_path

    def running(self) -> bool:
        """True while the JVM process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, limit: int = 4000) -> str:
        """The end of the server's output, for error messages."""
        return _read_tail(self._log_path, limit)

    def start(self) -> LanguageToolServer:
        """Launch the JVM and block until it answers (healthcheck, then the warm-up check).

        Returns ``self``. Raises :class:`LanguageToolError` (with the end of the server's output)
        if the jars are missing, java is missing, the JVM exits, or it is not ready within
        ``startup_timeout`` seconds.
        """
        with self._lock:
            if self._proc is not None:
                return self
            home = self.home if self.home is not None else find_languagetool()
            if home is None or not _is_provisioned(home):
                where = f" in {home}" if home is not None else ""
                raise LanguageToolError(f"LanguageTool is not provisioned{where}", hint=SETUP_HINT)
            self.home = home
            began = time.monotonic()
            # Retried because another process can take the port between probing it and binding it.
            attempts = 1 if self._requested_port is not None else 3
            for attempt in range(attempts):
                port = self._requested_port or _free_loopback_port()
                try:
                    self._launch(port)
                    self._wait_until_healthy(began)
                    self.healthy_seconds = time.monotonic() - began
                    self._warm_up(began)
                    break
                except _PortTaken:
                    self.stop()
                    if attempt + 1 == attempts:
                        raise LanguageToolError(
                            f"could not bind the LanguageTool server to port {port}"
                        ) from None
                except BaseException:
                    # KeyboardInterrupt while waiting included: never leave a half-started JVM.
                    self.stop()
                    raise
            self.startup_seconds = time.monotonic() - began
            atexit.register(self.stop)
            log.info("LanguageTool server up at %s in %.1f s", self.url, self.startup_seconds)
            return self

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the JVM (SIGTERM, then SIGKILL after ``grace`` seconds) and clean up.

        Safe to call twice, from ``atexit``, or on a server that never started.
        """
        with self._lock:
            proc, self._proc = self._proc, None
            atexit.unregister(self.stop)
            try:
                if proc is not None:
                    _end_process_group(proc, grace)
            finally:
                if self._release_spawner is not None:
                    self._release_spawner.set()
                    self._release_spawner = None
                if self._workdir is not None:
                    shutil.rmtree(self._workdir, ignore_errors=True)
                    self._workdir = None
                self._log_path = None
                self._port = None

    def __enter__(self) -> LanguageToolServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"running at {self.url}" if self.running() else "stopped"
        return f"<LanguageToolServer {state}>"

    # -- internals

    def command(self, port: int, workdir: Path) -> list[str]:
        """The argv that runs the server on ``port``, writing its helper files into ``workdir``.

        ``--public`` is never passed, so the server only accepts connections from this machine.
        """
        if self.home is None:
            raise LanguageToolError("no LanguageTool folder to run", hint=SETUP_HINT)
        argv = [_find_java(self.java), f"-Xmx{self.heap}"]
        if not self.log_requests:
            logback = workdir / "logback.xml"
            logback.write_text(_QUIET_LOGBACK, encoding="utf-8")
            argv.append(f"-Dlogback.configurationFile={logback}")
        argv += ["-cp", f"{self.home / 'jars'}/*", SERVER_CLASS]
        argv += ["--port", str(port), "--allow-origin", "*"]
        if self.config:
            properties = workdir / "server.properties"
            lines = [f"{key}={_property_value(value)}" for key, value in self.config.items()]
            properties.write_text("\n".join(lines) + "\n", encoding="utf-8")
            argv += ["--config", str(properties)]
        return argv

    def _launch(self, port: int) -> None:
        """Start the JVM with its output going to a log file in a private temp folder."""
        self._workdir = Path(tempfile.mkdtemp(prefix="cleaner-languagetool-"))
        argv = self.command(port, self._workdir)
        self._log_path = self._workdir / "server.log"
        with open(self._log_path, "wb") as log_file:
            self._proc = self._spawn(argv, log_file)
        self._port = port

    def _spawn(self, argv: list[str], log_file: Any) -> subprocess.Popen[bytes]:
        """Popen the JVM from a helper thread that lives exactly as long as the server.

        PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process.
        Forking from the caller's thread would kill the JVM as soon as a worker thread that
        called :meth:`start` finished, so a dedicated daemon thread forks it and then waits until
        :meth:`stop` releases it.
        """
        spawned: dict[str, Any] = {}
        ready = threading.Event()
        release = threading.Event()

        def spawner() -> None:
            try:
                spawned["proc"] = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    cwd=self._workdir,
                    process_group=0,  # own group: a terminal's Ctrl-C reaches Python only
                    preexec_fn=_pdeathsig_preexec(),
                )
            except BaseException as exc:  # handed to the caller's thread below
                spawned["error"] = exc
            finally:
                ready.set()
            if "proc" in spawned:
                release.wait()

        threading.Thread(target=spawner, name="languagetool-spawner", daemon=True).start()
        try:
            ready.wait()
        except BaseException:
            # Interrupted during the fork: wait for it (it is quick) so the JVM is not lost.
            ready.wait()
            if "proc" in spawned:
                _end_process_group(spawned["proc"], grace=0)
            release.set()
            raise
        if "error" in spawned:
            error = spawned["error"]
            raise LanguageToolError(f"could not run {argv[0]}: {error}", hint="install Java 17") from error
        self._release_spawner = release
        return spawned["proc"]

    def _wait_until_healthy(self, began: float) -> None:
        """Poll the healthcheck until it answers, the JVM dies, or the startup timeout passes."""
        assert self._proc is not None
        url = f"http://127.0.0.1:{self._port}"
        delay = 0.1
        while True:
            code = self._proc.poll()
            if code is not None:
                tail = self.log_tail()
                if "BindException" in tail or "Address already in use" in tail:
                    raise _PortTaken()
                raise LanguageToolError(
                    f"the LanguageTool server exited with code {code} while starting;"
                    f" its output ends with:\n{tail or '(no output)'}",
                    hint=f"if the jars in {self.home} are damaged, delete that folder and run `make setup`",
                )
            if healthcheck(url):
                return
            if time.monotonic() - began > self.startup_timeout:
                raise LanguageToolError(
                    f"the LanguageTool server did not answer {url}/v2/healthcheck within"
                    f" {self.startup_timeout:g} s; its output ends with:\n"
                    f"{self.log_tail() or '(no output)'}",
                    hint="raise startup_timeout or the heap size",
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)


    def _warm_up(self, began: float) -> None:
        """Have the server load the ``warm_up`` language with one small check."""
        if not self.warm_up:
            return
        remaining = max(1.0, self.startup_timeout - (time.monotonic() - began))
        try:
            _post_form(self.url + "/v2/check", {"language": self.warm_up, "text": "Warm up."}, remaining)
        except LanguageToolError as exc:
            raise LanguageToolError(
                f"the LanguageTool server did not complete its first check: {exc.message};"
                f" its output ends with:\n{self.log_tail() or '(no output)'}",
                hint="raise startup_timeout, or check the warm_up language code",
            ) from exc


class _PortTaken(Exception):
    """The JVM could not bind its port; :meth:`LanguageToolServer.start` retries another one."""


def _property_value(value: str | int | bool) -> str:
    """Render a Python value the way Java's Properties files expect it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _end_process_group(proc: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM the process's group, SIGKILL it if still alive after ``grace`` s, then reap it.

    Signals go to the group only while the leader is unreaped, so its id cannot have been
    reused by an unrelated group.
    """
    if proc.poll() is None:
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            pass
        if proc.poll() is None:
            _signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------- offsets


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def utf16_to_py_offsets(text: str, offsets: Iterable[int]) -> list[int]:
    """Convert UTF-16 code-unit offsets into ``text`` to Python ``str`` indices.

    Java (and so LanguageTool) counts a character outside the Basic Multilingual Plane, such as
    most emoji, as two units; Python counts it as one. An offset that falls between the two
    halves of such a character maps to the index of that character. Raises ValueError for an
    offset outside ``0..len(text as UTF-16)``.
    """
    # UTF-16 start of the k-th astral character = its Python index + k (the k before it are wider).
    starts = [match.start() + k for k, match in enumerate(_ASTRAL.finditer(text))]
    limit = len(text) + len(starts)
    result = []
    for unit in offsets:
        if not 0 <= unit <= limit:
            raise ValueError(f"UTF-16 offset {unit} is outside 0..{limit}")
        before = bisect_right(starts, unit - 2)  # astral characters that end at or before `unit`
        index = unit - before
        if before < len(starts) and starts[before] == unit - 1:  # between the halves of a pair
            index -= 1
        result.append(index)
    return result


def py_to_utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of Python index ``index`` in ``text``."""
    return index + len(_ASTRAL.findall(text, 0, index))


# --------------------------------------------------------------------------- matches


@dataclass(frozen=True, slots=True)
class GrammarMatch:
    """One LanguageTool finding. ``start``/``end`` index the checked Python ``str``."""

    rule_id: str
    category: str
    message: str
    start: int
    end: int
    replacements: tuple[str, ...]
    context: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (replacements as a list)."""
        data = asdict(self)
        data["replacements"] = list(self.replacements)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GrammarMatch:
        """The inverse of :meth:`to_json`."""
        return cls(
            rule_id=str(data["rule_id"]),
            category=str(data["category"]),
            message=str(data["message"]),
            start=int(data["start"]),
            end=int(data["end"]),
            replacements=tuple(str(r) for r in data["replacements"]),
            context=str(data["context"]),
        )


def matches_from_response(text: str, response: Mapping[str, Any]) -> list[GrammarMatch]:
    """Turn a ``/v2/check`` JSON answer for ``text`` into :class:`GrammarMatch` objects."""
    raw = response.get("matches", [])
    units = []
    for item in raw:
        units += [item["offset"], item["offset"] + item["length"]]
    indices = utf16_to_py_offsets(text, units)
    found = []
    for n, item in enumerate(raw):
        rule = item.get("rule", {})
        found.append(
            GrammarMatch(
                rule_id=rule.get("id", ""),
                category=rule.get("category", {}).get("id", ""),
                message=item.get("message", ""),
                start=indices[2 * n],
                end=indices[2 * n + 1],
                replacements=tuple(r.get("value", "") for r in item.get("replacements", [])),
                context=item.get("context", {}).get("text", ""),
            )
        )
    return found


# --------------------------------------------------------------------------- HTTP helpers


def _post_form(url: str, fields: Mapping[str, str], timeout: float) -> Any:
    """POST ``fields`` form-encoded to ``url`` and decode the JSON answer."""
    data = urllib.parse.urlencode(fields).encode("ascii")
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with _opener_for(url).open(request, timeout=timeout) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as exc:
        body = exc.read(600).decode("utf-8", "replace").strip()
        raise LanguageToolError(f"LanguageTool answered HTTP {exc.code} at {url}: {body}") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise LanguageToolError(
            f"LanguageTool at {url} did not answer: {exc}",
            hint="is the server running? see LanguageToolServer",
        ) from exc


def server_version(url: str, timeout: float = 30.0) -> str:
    """The LanguageTool version of the server at ``url``, e.g. ``'6.8'``.

    ``/v2/languages`` lists languages only, so this reads the ``software`` block that every
    ``/v2/check`` answer carries.
    """
    answer = _post_form(f"{url.rstrip('/')}/v2/check", {"language": "en-US", "text": "."}, timeout)
    try:
        return str(answer["software"]["version"])
    except (KeyError, TypeError) as exc:
        raise LanguageToolError(f"unexpected /v2/check answer from {url}: no software.version") from exc


# --------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    """``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``."""
    explicit = os.environ.get(ENV_CACHE_DIR)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "cleaner"


def cache_key(language: str, lt_version: str, text: str, options: Mapping[str, str] | None = None) -> str:
    """sha256 hex of (language, LanguageTool version, request options, text).

    ``options`` are the other request parameters (disabled rules, picky level...) because they
    change the answer as much as the language does.
    """
    payload = json.dumps([language, lt_version, dict(sorted((options or {}).items())), text],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class GrammarCache:
    """Paragraph-level cache of LanguageTool answers in SQLite, shared safely by processes.

    Default file: ``<default_cache_dir()>/grammar-<lt_version>.sqlite3``. The cache is an
    optimisation only: if the file cannot be opened it is disabled with a log message, a read
    that fails is a miss, and a write that finds the database locked by another process is
    skipped (the paragraph is simply checked again next time).
    """

    def __init__(
        self,
        lt_version: str,
        path: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = 0.25,
    ) -> None:
        self.lt_version = lt_version
        self.path = Path(path).expanduser() if path is not None else self.default_path(lt_version)
        self.busy_timeout = busy_timeout
        self.skipped_writes = 0
        self._lock = threading.Lock()
        self._conn = self._open()

    @staticmethod
    def default_path(lt_version: str) -> Path:
        """Where the cache for this LanguageTool version lives unless a path is given."""
        return default_cache_dir() / f"grammar-{lt_version}.sqlite3"

    @property
    def enabled(self) -> bool:
        """False when the file could not be opened (the cache then behaves as always empty)."""
        return self._conn is not None

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Setting up waits longer than writes do: workers starting together all reach it at once.
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            try:
                # WAL lets readers in other processes go on while one writes.
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS matches"
                    " (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"
                )
                conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            except BaseException:
                conn.close()
                raise
            return conn
        except (OSError, sqlite3.Error) as exc:
            log.warning("grammar cache disabled: cannot open %s: %s", self.path, exc)
            return None

    def get(self, key: str) -> list[GrammarMatch] | None:
        """The cached matches for ``key``, or None on a miss."""
        return self.get_many([key]).get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, list[GrammarMatch]]:
        """The cached matches of every key that is present."""
        if self._conn is None or not keys:
            return {}
        found: dict[str, list[GrammarMatch]] = {}
        # SQLite limits the number of bound parameters per statement.
        for offset in range(0, len(keys), 500):
            chunk = list(keys[offset : offset + 500])
            marks = ",".join("?" * len(chunk))
            try:
                with self._lock:
                    rows = self._conn.execute(
                        f"SELECT key, value FROM matches WHERE key IN ({marks})", chunk
                    ).fetchall()
            except sqlite3.Error as exc:
                log.debug("grammar cache read failed: %s", exc)
                continue
            for key, value in rows:
                try:
                    found[key] = [GrammarMatch.from_json(item) for item in json.loads(value)]
                except (ValueError, KeyError, TypeError):
                    log.debug("grammar cache entry %s is unreadable; ignored", key)
        return found

    def put(self, key: str, matches: Sequence[GrammarMatch]) -> bool:
        """Store one answer; see :meth:`put_many`."""
        return self.put_many({key: matches})

    def put_many(self, entries: Mapping[str, Sequence[GrammarMatch]]) -> bool:
        """Store answers in one short transaction. Returns False if the write was skipped."""
        if self._conn is None or not entries:
            return False
        rows = [
            (key, json.dumps([m.to_json() for m in matches], ensure_ascii=False))
            for key, matches in entries.items()
        ]
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO matches (key, value) VALUES (?, ?)", rows
                    )
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                # "database is locked": another process holds the write lock past busy_timeout.
                self.skipped_writes += 1
                log.debug("grammar cache write skipped: %s", exc)
                return False
        return True

    def __len__(self) -> int:
        if self._conn is None:
            return 0
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM matches").fetchone()[0]

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> GrammarCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# --------------------------------------------------------------------------- client


class GrammarClient:
    """Checks text against the LanguageTool server at ``url``.

    Language validation and rule settings come from a ``language_tool_python.LanguageTool``
    bound to the server with ``remote_server=url``; with a remote server that library neither
    downloads LanguageTool nor spawns a JVM, and its ``config`` argument (which only applies to a
    server it spawns) must stay unset, so server settings go to :class:`LanguageToolServer`.
    Adjust rules through :attr:`tool` (``disabled_rules``, ``enabled_categories``, ``picky``...).

    The HTTP request itself is made here rather than with ``tool.check()``: its ``Match`` keeps
    the emoji-offset fix-up in class attributes shared by all threads and leaves lengths in
    UTF-16 units, while :meth:`check_many` needs thread safety and exact Python spans.

    ``cache``: a :class:`GrammarCache`, ``"default"`` for the per-user cache of this server's
    LanguageTool version, or None for no cache. ``threads`` bounds :meth:`check_many`'s
    concurrent requests.
    """

    def __init__(
        self,
        url: str,
        *,
        language: str = "en-US",
        cache: GrammarCache | Literal["default"] | None = "default",
        threads: int = 4,
        timeout: float = 120.0,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.threads = max(1, threads)
        self.version = server_version(self.url, timeout)
        proxies = {"http": None, "https": None} if _is_loopback_url(self.url) else None
        try:
            self.tool = language_tool_python.LanguageTool(
                language, remote_server=self.url, proxies=proxies  # type: ignore[arg-type]
            )
        except language_tool_python.exceptions.LanguageToolError as exc:
            raise LanguageToolError(f"LanguageTool at {self.url} refused the client: {exc}") from exc
        except ValueError as exc:  # unknown language tag
            raise LanguageToolError(str(exc), hint="use a code from /v2/languages, e.g. en-US") from exc
        self.cache = GrammarCache(self.version) if cache == "default" else cache
        self._counter_lock = threading.Lock()
        self.requests_sent = 0

    @property
    def language(self) -> str:
        """The normalised language code sent with each request, e.g. ``'en-US'``."""
        return str(self.tool.language)

    def request_options(self) -> dict[str, str]:
        """The ``/v2/check`` parameters besides ``text``, read from :attr:`tool`'s settings."""
        tool = self.tool
        options = {"language": self.language}
        mother_tongue = tool.mother_tongue
        if mother_tongue is not None:
            options["motherTongue"] = str(mother_tongue)
        lists = {
            "disabledRules": tool.disabled_rules,
            "enabledRules": tool.enabled_rules,
            "disabledCategories": tool.disabled_categories,
            "enabledCategories": tool.enabled_categories,
            "preferredVariants": tool.preferred_variants,
        }
        for name, values in lists.items():
            if values:
                options[name] = ",".join(sorted(values))
        if tool.enabled_rules_only:
            options["enabledOnly"] = "true"
        if tool.picky:
            options["level"] = "picky"
        return options

    def check(self, text: str) -> list[GrammarMatch]:
        """The matches LanguageTool reports for ``text``, with Python ``str`` spans."""
        return self.check_many([text])[0]

    def check_many(self, texts: Sequence[str]) -> list[list[GrammarMatch]]:
        """Check several paragraphs, ``threads`` at a time; results follow the input order.

        Identical paragraphs are checked once, cached ones not at all. Answers already received
        are cached even if the batch is interrupted.
        """
        texts = list(texts)
        options = self.request_options()
        keys, found, todo = self._lookup(texts, options)
        fresh: dict[str, list[GrammarMatch]] = {}
        try:
            self._check_uncached(todo, options, fresh)
        finally:
            self._store(keys, fresh)
        found.update(fresh)
        return [list(found[text]) for text in texts]

    def _lookup(self, texts: list[str], options: Mapping[str, str]
                ) -> tuple[dict[str, str], dict[str, list[GrammarMatch]], list[str]]:
        """Cache keys of the distinct texts, the answers already known (blank or cached), and
        the texts still to send."""
        keys = {text: cache_key(self.language, self.version, text, options) for text in dict.fromkeys(texts)}
        found: dict[str, list[GrammarMatch]] = {text: [] for text in keys if not text.strip()}
        todo = [text for text in keys if text not in found]
        if self.cache is not None and todo:
            cached = self.cache.get_many([keys[text] for text in todo])
            found.update({text: cached[keys[text]] for text in todo if keys[text] in cached})
            todo = [text for text in todo if text not in found]
        return keys, found, todo

    def _store(self, keys: dict[str, str], fresh: dict[str, list[GrammarMatch]]) -> None:
        """Cache the answers just received, one paragraph each."""
        if self.cache is not None and fresh:
            self.cache.put_many({keys[text]: matches for text, matches in fresh.items()})

    def _check_uncached(
        self, todo: list[str], options: dict[str, str], into: dict[str, list[GrammarMatch]]
    ) -> None:
        """Send ``todo`` to the server, filling ``into`` as answers arrive."""
        if len(todo) <= 1 or self.threads == 1:
            for text in todo:
                into[text] = self._request(text, options)
            return
        pool = ThreadPoolExecutor(max_workers=min(self.threads, len(todo)), thread_name_prefix="languagetool")
        try:
            futures = [pool.submit(self._request, text, options) for text in todo]
            for text, future in zip(todo, futures):
                into[text] = future.result()
        finally:
            # On Ctrl-C or an error, drop queued paragraphs instead of waiting for all of them.
            pool.shutdown(wait=False, cancel_futures=True)

    def _request(self, text: str, options: Mapping[str, str]) -> list[GrammarMatch]:
        """One ``/v2/check`` round trip for ``text``."""
        # A lone surrogate cannot be sent as UTF-8; U+FFFD has the same length in both counts.
        sendable = _LONE_SURROGATE.sub("\ufffd", text)
        with self._counter_lock:
            self.requests_sent += 1
        answer = _post_form(f"{self.url}/v2/check", {**options, "text": sendable}, self.timeout)
        return matches_from_response(sendable, answer)

    def check_joined(self, texts: Sequence[str], *, limit: int = 20_000,
                     gate: SentenceGate | None = None) -> list[list[GrammarMatch]]:
        """Like :meth:`check_many`, but uncached paragraphs go to the server joined in few requests.

        One request per document instead of one per paragraph roughly halves the server's time
        per article. Paragraphs are joined with a blank line (LanguageTool treats it as a
        paragraph break), the answer is split back by offset, and each paragraph is cached on
        its own, so an unchanged paragraph is never sent again.

        With a ``gate``, only the sentences it selects in the paragraphs not found in the cache
        are sent (see :class:`SentenceGate`); spans still index the whole paragraph, a paragraph
        with no selected sentence is neither sent nor cached, and the gate's key is part of the
        cache key.
        """
        texts = list(texts)
        options = self.request_options()
        key_options = options if gate is None else {**options, "gate": gate.key}
        keys, found, todo = self._lookup(texts, key_options)
        pieces = {text: gate.spans(text) if gate is not None else [(0, len(text))] for text in todo}
        found.update({text: [] for text in todo if not pieces[text]})  # nothing to send, nothing to cache
        todo = [text for text in todo if pieces[text]]
        units = [(text, start, end) for text in todo for start, end in pieces[text]]
        fresh: dict[str, list[GrammarMatch]] = {text: [] for text in todo}
        for chunk in _chunks(units, limit):
            for text, matches in self._request_joined(chunk, options).items():
                fresh[text] += matches
        self._store(keys, fresh)
        found.update(fresh)
        return [list(found[text]) for text in texts]

    def _request_joined(self, units: list[tuple[str, int, int]], options: Mapping[str, str]
                        ) -> dict[str, list[GrammarMatch]]:
        """Send the pieces ``text[start:end]`` joined by blank lines in one request; the answer,
        per text, with spans that index the whole text."""
        joined = _PARAGRAPH_BREAK.join(text[start:end] for text, start, end in units)
        matches = self._request(joined, options)
        out: dict[str, list[GrammarMatch]] = {text: [] for text, _, _ in units}
        bounds = []
        offset = 0
        for text, start, end in units:
            bounds.append((offset, offset + end - start, text, start))
            offset += end - start + len(_PARAGRAPH_BREAK)
        for match in matches:
            for begin, finish, text, start in bounds:
                if begin <= match.start and match.end <= finish:
                    shift = start - begin
                    out[text].append(dataclasses.replace(match, start=match.start + shift, end=match.end + shift))
                    break
        return out

    def close(self) -> None:
        """Close the cache (the server belongs to whoever started it)."""
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> GrammarClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_PARAGRAPH_BREAK = "\n\n"


def _chunks(units: list[tuple[str, int, int]], limit: int) -> list[list[tuple[str, int, int]]]:
    """Group pieces ``(text, start, end)`` into requests of at most about ``limit`` characters each."""
    chunks: list[list[tuple[str, int, int]]] = []
    size = limit
    for unit in units:
        length = unit[2] - unit[1]
        if size + length > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(unit)
        size += length + len(_PARAGRAPH_BREAK)
    return chunks


# --------------------------------------------------------------------------- sentence gate

# A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket), after a word of at
# least two letters whose last two are lower case, when one plain space and a capital letter
# follow. That misses many sentence ends (after initials, numbers, "U.S.", doubled spaces): a
# missed end only makes a piece longer. Splitting where LanguageTool does not (after an
# abbreviation) would cut one of its sentences in two, so the usual abbreviations are not ends.
_SENTENCE_END = re.compile(r"(\w+)[.!?][\"”’)]? (?=[A-Z])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr gov sen rep gen col lt sgt capt cpt maj cmdr adm cdr prof rev hon pres supt insp"
    " det st ste mt ft pt jr sr inc ltd co corp bros assn dept univ div est approx etc vs al ca cf ibid"
    " jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun"
    " no nos vol vols fig figs pp ch sec art ed eds ave blvd rd hwy ln pl sq op min max mins hrs yrs".split())
SPLITTER_VERSION = "1"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, conservatively: see ``_SENTENCE_END``.

    The spans cover the text except the single space between two sentences.
    """
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        word = match.group(1)
        if len(word) >= 2 and word[-1].islower() and word[-2].islower() and word.lower() not in _ABBREVIATIONS:
            spans.append((start, match.end() - 1))
            start = match.end()
    spans.append((start, len(text)))
    return spans


class SentenceGate:
    """Selects the sentences of a paragraph that could trigger a rule, so only those are checked.

    ``patterns``: one regular expression per rule that must match a sentence the rule can flag
    (``re.search``); None for a rule that has no such precondition, which makes every sentence
    selected. A sentence is selected when any pattern matches it; adjacent selected sentences
    are sent as one piece, with the space between them. This is exact for rules that look at
    one sentence at a time (or, like the whitespace rule, at a run of whitespace, which the
    splitter never cuts), as long as every pattern is a true precondition.
    """

    def __init__(self, patterns: Iterable[re.Pattern[str] | None]) -> None:
        patterns = list(patterns)
        self.always = any(p is None for p in patterns)
        self.patterns: tuple[re.Pattern[str], ...] = tuple(p for p in patterns if p is not None)
        described = sorted({(p.pattern, p.flags) for p in self.patterns})
        payload = json.dumps([SPLITTER_VERSION, self.always, described], ensure_ascii=False)
        #: Part of the cache key: an answer for the gated text is not one for the whole text.
        self.key = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def selects(self, sentence: str) -> bool:
        """True when the sentence must be checked."""
        return self.always or any(p.search(sentence) is not None for p in self.patterns)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The pieces of ``text`` to send, as ``(start, end)`` spans in order; [] for none."""
        if self.always:
            return [(0, len(text))]
        pieces: list[tuple[int, int]] = []
        for start, end in sentence_spans(text):
            if self.selects(text[start:end]):
                if pieces and pieces[-1][1] + 1 == start:
                    pieces[-1] = (pieces[-1][0], end)
                else:
                    pieces.append((start, end))
        return pieces
