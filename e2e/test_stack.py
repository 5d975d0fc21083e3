"""The production stack end to end over HTTP: what an API client and an operator see.

A contributor submits a paper with an API token, a moderator approves it through /api/v1/moderation/,
anyone reads it; staff start a sweep through /api/v1/sweeps/, a Celery worker trains it, the results
are read back and published.
"""

import re
import secrets

import pytest
import requests

from .stack import wait_for


@pytest.mark.timeout(60)
def test_probes_static_files_and_production_behaviour(stack):
    health = requests.get(stack.url("/healthz"), timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = requests.get(stack.url("/readyz"), timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}

    home = requests.get(stack.url("/"), timeout=10)
    assert home.status_code == 200 and "DeepCommons" in home.text
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]
    assert home.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in home.headers  # plain HTTP: no HSTS
    assert "Secure" in home.headers["Set-Cookie"]  # production's cookies (browsers keep them on loopback)

    # whitenoise serves the manifest's hashed names, compressed, cached for good.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "the home page links no hashed stylesheet: was collectstatic's manifest used?"
    css = requests.get(stack.url(stylesheet.group(1)), headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert css.headers.get("Content-Encoding") == "gzip"
    assert "immutable" in css.headers.get("Cache-Control", "")

    # DEBUG is off: an unknown page is the portal's 404, never Django's technical page.
    missing = requests.get(stack.url("/no-such-page/"), timeout=10)
    assert missing.status_code == 404
    assert "Traceback" not in missing.text and "DEBUG = True" not in missing.text
    api_missing = requests.get(stack.url("/api/v1/nothing/"), timeout=10)
    assert api_missing.status_code == 404 and api_missing.json()["error"]["code"] == "not_found"


@pytest.mark.timeout(60)
def test_a_paper_is_submitted_approved_and_read_through_the_api(stack):
    contributor, moderator, anonymous = (
        stack.client("contributor"),
        stack.client("moderator"),
        stack.client(),
    )
    title = f"End-to-end stacks for catalogues {secrets.token_hex(3)}"

    submitted = contributor.post(
        stack.url("/api/v1/papers/"),
        json={
            "title": title,
            "year": 2025,
            "authors": ["Grace Hopper", "Ada Lovelace"],
            "abstract": "Tested.",
        },
        timeout=10,
    )
    assert submitted.status_code == 202, submitted.text
    body = submitted.json()
    assert body["status"] == "pending" and body["moderation_id"] == f"paper-{body['id']}"
    paper_url = stack.url(f"/api/v1/papers/{body['slug']}/")
    assert anonymous.get(paper_url, timeout=10).status_code == 404  # nobody reads it before approval

    # Only moderators see the queue; the submission waits there.
    assert contributor.get(stack.url("/api/v1/moderation/"), timeout=10).status_code == 403
    queue = moderator.get(stack.url("/api/v1/moderation/"), params={"type": "paper"}, timeout=10)
    assert queue.status_code == 200
    entry = next(e for e in queue.json()["results"] if e["id"] == body["moderation_id"])
    assert entry["label"] == title and entry["submitted_by"] == stack.accounts["contributor"]["username"]

    approved = moderator.post(entry["api_url"] + "approve/", json={"note": "Welcome aboard"}, timeout=10)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "published"
    again = moderator.post(entry["api_url"] + "approve/", json={}, timeout=10)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"

    public = anonymous.get(paper_url, timeout=10)
    assert public.status_code == 200, public.text
    paper = public.json()
    assert paper["title"] == title and paper["status"] == "published"
    assert [a["name"] for a in paper["authors"]] == ["Grace Hopper", "Ada Lovelace"]
    page = requests.get(paper["web_url"], timeout=10)
    assert page.status_code == 200 and title in page.text

    # The submitter was told, by the file mail backend of the stack, with a link to the page.
    mail = wait_for(
        lambda: next((m for m in stack.mails() if title in m and "Welcome aboard" in m), None),
        timeout=10,
        what="the approval mail",
    )
    assert paper["web_url"] in mail


@pytest.mark.timeout(120)
def test_staff_start_a_sweep_a_worker_trains_it_and_the_results_are_read(stack):
    staff, anonymous = stack.client("admin"), stack.client()

    started = staff.post(
        stack.url("/api/v1/sweeps/"),
        json={"benchmark": "linear-regression", "seed_count": 2, "device": "cpu"},
        timeout=10,
    )
    assert started.status_code == 201, started.text
    sweep = started.json()
    assert sweep["state"] == "queued" and sweep["queue"] == "cpu" and len(sweep["runs"]) == 2
    assert started.headers["Location"] == sweep["api_url"]
    # Staff only: a contributor's token cannot start one.
    refused = stack.client("contributor").post(
        stack.url("/api/v1/sweeps/"), json={"benchmark": "linear-regression", "seed_count": 1}, timeout=10
    )
    assert refused.status_code == 403

    def finished():
        body = staff.get(sweep["api_url"], timeout=10).json()
        return body if body["state"] in ("succeeded", "failed", "cancelled") else None

    done = wait_for(finished, timeout=90, interval=0.5, what=f"sweep {sweep['id']} to finish")
    assert done["state"] == "succeeded", done
    summary = done["summary"]
    assert summary["verdict"] == "reproduced" and summary["n"] == 2
    assert abs(summary["metrics"]["w"]["mean"] - 3.0) < 0.3
    assert abs(summary["metrics"]["b"]["mean"] - 2.5) < 0.2
    for run in done["runs"]:
        assert run["state"] == "succeeded" and run["attempt"] == 1 and run["progress"] == 100.0
        detail = staff.get(run["api_url"], timeout=10).json()
        steps = [point["step"] for point in detail["metrics"]]
        assert steps and steps == sorted(set(steps)) and steps[-1] == detail["total_steps"]
        assert detail["environment"]["worker"].startswith("e2e-")

    # Unpublished sweeps are staff's; publishing puts it in front of everyone.
    assert anonymous.get(sweep["api_url"], timeout=10).status_code == 404
    published = staff.post(sweep["api_url"] + "publish/", json={"published": True}, timeout=10)
    assert published.status_code == 200, published.text
    public = anonymous.get(sweep["api_url"], timeout=10)
    assert public.status_code == 200 and public.json()["published"] is True
    board = anonymous.get(stack.url("/api/v1/benchmarks/linear-regression/"), timeout=10).json()
    assert sweep["id"] in [row["sweep"] for row in board["leaderboard"]]
