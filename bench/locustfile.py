"""The people who use Laurier at once, for `bench/load.py` (which starts locust with this file).

Three kinds of users share the load (weights 2 : 2 : 1):

- managers log in through the login form, then browse their program: the dashboard, mentors,
  sessions, recognitions, catalog, budget, insights and mentor-voice pages;
- mentors log in the same way, then look at their home, their space (sessions and hours), their
  badges and their recognitions;
- API clients call the API with a Bearer token: people, sessions and awards with filters, and
  now and then log a session with an Idempotency-Key (sometimes sending it twice, as a client
  retrying after a timeout does).

People think between two pages: 1 to 5 s for managers and mentors, 1 to 3 s for API clients.
Each simulated user takes the next identity of its kind from the population file that
`bench/load.py` writes (LAURIER_LOAD_POPULATION), so 50 users are 50 different people, and
connects from its own loopback address (127.0.x.y): people log in from their own machines, and
the per-address login limit counts them apart as it would in production.

Two more user classes, chosen on the command line, make the closed loop of the throughput
ratio: TrivialClient only asks for /health/, SignedInTrivialClient the same as a signed-in
manager, DashboardClient only for its program's dashboard, all without thinking.

Every request is named after its Django URL name (`programs:dashboard`), not its address, and
recorded with its start, duration and outcome into LAURIER_LOAD_SAMPLES when locust stops.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, constant, events, task
from requests.adapters import HTTPAdapter

POPULATION = json.loads(Path(os.environ["LAURIER_LOAD_POPULATION"]).read_text(encoding="utf-8"))
SAMPLES_PATH = os.environ["LAURIER_LOAD_SAMPLES"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_PATH = "/accounts/login/"
SAMPLES = []
# One loopback address per simulated user, whatever its kind.
ADDRESSES = (f"127.0.{n // 250 + 1}.{n % 250 + 2}" for n in itertools.count())


@events.request.add_listener
def record(name, response_time, exception, start_time=None, response=None, **_kwargs):
    SAMPLES.append(
        {
            "name": name,
            "started": start_time if start_time is not None else time.time(),
            "ms": response_time,
            "error": None
            if exception is None
            else f"{type(exception).__name__}: {exception}"[:200],
            "status": getattr(response, "status_code", None),
        }
    )


def describe(exception):
    return f"{type(exception).__name__}: {exception}"[:200]


@events.quitting.add_listener
def write_samples(**_kwargs):
    with open(SAMPLES_PATH, "w", encoding="utf-8") as file:
        json.dump(SAMPLES, file)


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one given local address."""

    def __init__(self, address, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def identities(kind):
    """The people of one kind, in turn, as users of that kind start."""
    return itertools.cycle(POPULATION[kind])


class Person(HttpUser):
    """A user with their own address; subclasses log in or carry a token."""

    abstract = True

    def on_start(self):
        self.client.mount("http://", SourceAddressAdapter(next(ADDRESSES)))

    def page(self, name, url):
        """GET a page that must answer itself: a redirect to the login page is a failure."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code >= 400:
                r.failure(f"HTTP {r.status_code}")
            elif r.is_redirect and LOGIN_PATH in r.headers.get("Location", ""):
                r.failure("sent to the login page")
            else:
                r.success()

    def log_in(self, email):
        """Through the real login form: its page for the CSRF token, then the form sent."""
        form = self.client.get(LOGIN_PATH, name="account_login (form)")
        token = CSRF_FIELD.search(form.text)
        if token is None:
            return
        with self.client.post(
            LOGIN_PATH,
            name="account_login (sent)",
            data={
                "login": email,
                "password": POPULATION["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": self.host + LOGIN_PATH},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and LOGIN_PATH not in response.headers["Location"]:
                response.success()
            else:
                response.failure(f"not logged in (HTTP {response.status_code})")


class Manager(Person):
    weight = 2
    wait_time = between(1, 5)
    people = identities("managers")

    def on_start(self):
        super().on_start()
        self.me = next(self.people)
        self.log_in(self.me["email"])

    def visit(self, name):
        self.page(name, self.me["pages"][name])

    @task(3)
    def dashboard(self):
        self.visit("programs:dashboard")

    @task(2)
    def mentors(self):
        self.visit("programs:mentors")

    @task(2)
    def sessions(self):
        self.visit("hours:sessions")

    @task(2)
    def awards(self):
        self.visit("recognition:awards")

    @task
    def catalog(self):
        self.visit("recognition:catalog")

    @task
    def budget(self):
        self.visit("recognition:budget_detail")

    @task
    def insights(self):
        self.visit(random.choice(POPULATION["insights_pages"]))

    @task
    def voice(self):
        self.visit("surveys:voice")


class Mentor(Person):
    weight = 2
    wait_time = between(1, 5)
    people = identities("mentors")

    def on_start(self):
        super().on_start()
        self.me = next(self.people)
        self.log_in(self.me["email"])

    def visit(self, name):
        self.page(name, self.me["pages"][name])

    @task
    def home(self):
        self.visit("home")

    @task(2)
    def my_space(self):
        self.visit("hours:my_space")

    @task
    def badges(self):
        self.visit("credentials:my_credentials")

    @task
    def recognitions(self):
        self.visit("recognition:my_awards")


class ApiClient(Person):
    weight = 1
    wait_time = between(1, 3)
    clients = identities("api_clients")

    def on_start(self):
        super().on_start()
        self.me = next(self.clients)
        self.client.headers["Authorization"] = f"Bearer {self.me['key']}"
        self.client.headers["Accept"] = "application/json"
        self.logged = itertools.count()

    def read(self, name, path, **filters):
        with self.client.get(path, params=filters, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def people(self):
        self.read("api:person-list", "/api/v1/people/", left="false", page_size=50)

    @task(2)
    def mentors_of_a_program(self):
        program = random.choice(self.me["programs"])
        self.read("api:mentor-list", "/api/v1/mentors/", program=program, status="active")

    @task(3)
    def sessions(self):
        program = random.choice(self.me["programs"])
        self.read(
            "api:session-list",
            "/api/v1/sessions/",
            program=program,
            held_from=self.me["held_from"],
            page_size=50,
        )

    @task(2)
    def awards(self):
        program = random.choice(self.me["programs"])
        self.read("api:award-list", "/api/v1/awards/", program=program, status="given")

    @task
    def log_a_session(self):
        """A session no one logged yet (lengths the generator never uses, one per call), sent
        with an Idempotency-Key; one time in four the client sends it again, as after a lost
        answer, and must get the same session back."""
        pairing, day, length = self.next_session()
        body = {
            "pairing": pairing,
            "held_on": day,
            "duration_minutes": length,
            "notes": POPULATION["session_note"],
        }
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        first = self.create("api:session-create", body, headers)
        if first is not None and random.random() < 0.25:
            again = self.create("api:session-create (replayed)", body, headers)
            if again is not None and again != first:
                events.request.fire(
                    request_type="CHECK",
                    name="api:session-create (replayed)",
                    response_time=0,
                    response_length=0,
                    exception=AssertionError("a replay made another session"),
                )

    def next_session(self):
        number = next(self.logged)
        pairings, days, lengths = self.me["pairings"], self.me["days"], POPULATION["lengths"]
        pairing = pairings[number % len(pairings)]
        rest = number // len(pairings)
        return pairing, days[rest % len(days)], lengths[(rest // len(days)) % len(lengths)]

    def create(self, name, body, headers):
        with self.client.post(
            "/api/v1/sessions/", json=body, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return None
            return response.json()["id"]


def ask_health(client, name):
    """One /health/ request, a failure unless it answers "ok"."""
    with client.get("/health/", name=name, catch_response=True) as response:
        if response.status_code != 200 or response.text != "ok":
            response.failure(f"HTTP {response.status_code}")


class TrivialClient(HttpUser):
    """Closed loop: /health/ again and again (no database, no session)."""

    wait_time = constant(0)

    @task
    def health(self):
        ask_health(self.client, "health")


class SignedInManager(Person):
    """A closed loop's manager: logged in once, then asking without thinking."""

    abstract = True
    wait_time = constant(0)
    people = identities("managers")

    def on_start(self):
        super().on_start()
        self.me = next(self.people)
        self.log_in(self.me["email"])


class SignedInTrivialClient(SignedInManager):
    """Closed loop: /health/ again and again as a signed-in manager, whose session cookie makes
    Django's middleware read their session and account, as it does before any page."""

    @task
    def health(self):
        ask_health(self.client, "health (signed in)")


class DashboardClient(SignedInManager):
    """Closed loop: a manager's program dashboard again and again, once logged in."""

    @task
    def dashboard(self):
        self.page("programs:dashboard", self.me["pages"]["programs:dashboard"])
