"""Traffic for the fault demonstrations: a browser-like client (cookies, no
redirects followed, a request timeout) and a bounded load of such clients,
signed in and anonymous, that records one Sample per answer."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from _demo import Sample

REQUEST_TIMEOUT = 10.0  # seconds; a page that takes longer counts as failed
THINK_TIME = 0.05  # between one client's requests: a busy user, not a flood
MAX_REQUESTS_PER_CLIENT = 3000  # bounded, even if the stop signal never came
ANONYMOUS_PATHS = ["/", "/roadmaps/", "/roadmaps/backend-web-development/"]


class Client:
    """Cookies shared across ports, as a browser shares them for one host name."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect)
        self.signed_in = False

    def request(self, url: str, data: dict | None = None, host: str | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": url, **({"Host": host} if host else {})}
        req = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def login(self, base: str, email: str, password: str, host: str | None = None) -> int:
        status, html, _ = self.request(f"{base}/accounts/login/", host=host)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            return status
        data = {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
        status, _, _ = self.request(f"{base}/accounts/login/", data, host=host)
        self.signed_in = self.signed_in or status == 302
        return status

    def sample(self, url: str) -> Sample:
        """One GET; success is a 200 (for a signed-in client a redirect means
        it was signed out, which is a failure too)."""
        started = time.monotonic()
        try:
            status, _, headers = self.request(url)
            outcome = str(status)
            if status == 302 and "/accounts/login/" in headers.get("Location", ""):
                outcome = "302 to sign-in"
        except TimeoutError:
            outcome = "timeout"
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            outcome = "timeout" if isinstance(reason, TimeoutError) else f"error: {type(reason).__name__}"
        now = time.monotonic()
        return Sample(at=now, ok=outcome == "200", outcome=outcome, signed_in=self.signed_in, seconds=now - started)


class Load:
    """Each client in its own thread, cycling through its paths and its
    servers until stopped; `with Load(...) as load:` runs it."""

    def __init__(self, clients: list[tuple[Client, list[str], list[str]]]) -> None:
        self.clients = clients  # (client, base URLs, paths)
        self.samples: list[Sample] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=c, daemon=True) for c in clients]

    def _run(self, client: Client, bases: list[str], paths: list[str]) -> None:
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if self._stop.is_set():
                return
            sample = client.sample(bases[n % len(bases)] + paths[n % len(paths)])
            with self._lock:
                self.samples.append(sample)
            self._stop.wait(THINK_TIME)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)


def traffic(bases: list[str], password: str, plan: str, *, signed_in: int = 4, anonymous: int = 2) -> list:
    """Clients for a Load: `signed_in` demo learners, each signed in on its
    own (its own session), on their dashboard, plan and roadmap pages, and
    `anonymous` visitors on the public pages; each spread over `bases`."""
    signed_in_paths = ["/dashboard/", plan, "/roadmaps/backend-web-development/", "/accounts/settings/"]
    clients = []
    for n in range(signed_in):
        client = Client()
        status = client.login(bases[n % len(bases)], "learner@example.com", password)
        if status != 302:
            raise SystemExit(f"the demo learner could not sign in ({status})")
        clients.append((client, bases[n % len(bases) :] + bases[: n % len(bases)], signed_in_paths))
    clients += [(Client(), bases, ANONYMOUS_PATHS) for _ in range(anonymous)]
    return clients


def outage(load_clients: list, stop, start, *, seconds: float = 10, before: float = 5, after: float = 10,
           probe=None) -> tuple[list[Sample], float, float]:  # fmt: skip
    """Run the load, call stop(), keep the service down `seconds`, call
    start() (which returns once the service answers again); returns the
    samples and the times it went down and came back. probe(), if given, runs
    in the middle of the outage (e.g. to show what /readyz says)."""
    with Load(load_clients) as load:
        time.sleep(before)
        down_at = time.monotonic()  # shutting down already fails requests
        stop()
        stopped_at = time.monotonic()
        time.sleep(seconds / 2)
        if probe is not None:
            probe()
        time.sleep(max(0.0, stopped_at + seconds - time.monotonic()))
        restarting_at = time.monotonic()
        start()
        back_at = time.monotonic()
        print(f"  outage: stopping took {stopped_at - down_at:.1f} s, stopped {restarting_at - stopped_at:.1f} s, "
              f"starting until it answered {back_at - restarting_at:.1f} s", flush=True)  # fmt: skip
        time.sleep(after)
    return load.samples, down_at, back_at
