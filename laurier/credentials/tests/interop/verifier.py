"""Runs the independent verifier (verify.mjs: Digital Bazaar's VC libraries and jose, on Node).

The tests hand it only JSON (credentials, JWTs, the issuer's controller document, status list
credentials) so that a credential Laurier signs is checked by code that is not Laurier's.
"""

import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

INTEROP_DIR = Path(__file__).resolve().parent
SCRIPT = INTEROP_DIR / "verify.mjs"
PACKAGE_LOCK = INTEROP_DIR / "package-lock.json"
# npm writes this copy of the lock when it installs; older than the lock means stale.
INSTALLED_LOCK = INTEROP_DIR / "node_modules" / ".package-lock.json"
INSTALL_LOCK_FILE = INTEROP_DIR / ".npm-install.lock"
TIMEOUT_SECONDS = 60


class VerifierUnavailable(RuntimeError):
    """Node, npm or the verifier's packages cannot be had."""


def node_is_installed() -> bool:
    return shutil.which("node") is not None


def _installed_packages_are_current() -> bool:
    return (
        INSTALLED_LOCK.exists() and INSTALLED_LOCK.stat().st_mtime >= PACKAGE_LOCK.stat().st_mtime
    )


def ensure_verifier_installed() -> None:
    """Installs the pinned npm packages unless they already are, once across xdist workers."""
    if _installed_packages_are_current():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise VerifierUnavailable(
            "npm is missing, so the independent verifier cannot be installed: run `make "
            "interop-verifier` (or install Debian's 'nodejs' and 'npm' packages)."
        )
    with open(INSTALL_LOCK_FILE, "w") as lock:
        # Held until the file closes; xdist workers queue here instead of running npm together.
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Another worker may have installed them while this one waited for the lock.
        if _installed_packages_are_current():
            return
        completed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=INTEROP_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if completed.returncode != 0:
            raise VerifierUnavailable(
                f"`npm ci` in {INTEROP_DIR} failed:\n{completed.stderr or completed.stdout}"
            )


def verify_independently(
    items: list[dict], documents: list[dict], *, now: str | None = None
) -> list[dict]:
    """Verifies every item in one Node process and returns one verdict per item, in order.

    An item is {"name": ..., "credential": <dict>} (Data Integrity proof) or
    {"name": ..., "jwt": "<compact JWS>"} (VC-JOSE, typ vc+jwt). `documents` are the JSON
    documents the verifier may resolve besides the bundled contexts: the issuers' controller
    documents and the status list credentials; any other URL is an error for that item.
    `now` (an ISO date-time) replaces the current time for validFrom/validUntil.

    A verdict is {"name", "format": "di" | "jwt", "verified": bool, "revoked": bool | None,
    "errors": [str]}. `revoked` is the status list's bit; a revoked credential still has
    `verified: True`, so tests of revocation read `revoked`.
    """
    batch = {"documents": documents, "items": items}
    if now is not None:
        batch["now"] = now
    with tempfile.TemporaryDirectory(prefix="laurier-interop-") as directory:
        batch_file = Path(directory) / "batch.json"
        batch_file.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
        completed = subprocess.run(
            ["node", str(SCRIPT), str(batch_file)],
            cwd=INTEROP_DIR,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    if completed.returncode != 0:
        raise RuntimeError(
            f"verify.mjs exited with {completed.returncode}:\n{completed.stderr}{completed.stdout}"
        )
    verdicts = json.loads(completed.stdout)
    if len(verdicts) != len(items):
        raise RuntimeError(f"verify.mjs answered {len(verdicts)} verdicts for {len(items)} items")
    return verdicts
