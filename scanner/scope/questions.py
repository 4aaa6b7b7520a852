"""The questions a scoping workshop must settle, derived from the draft: nothing here is decided for people.

- shadow services in use: who owns each, and is it to be sanctioned, tolerated or blocked?
- sanctioned or tolerated services without an owner, and decisions past their review date;
- blocked services that were used anyway;
- unknown AI-like findings (model files, agent configs, AI-looking apps): what are they?
- coverage gaps: accept them, or grant access and run again?
- activity from outside the scope's boundaries: widen the scope, or record the exclusion?
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.scope.draft import ScopeDraft, ServiceLine

MAX_UNKNOWN_QUESTIONS = 20


@dataclass(frozen=True)
class Question:
    topic: str  # owner | blocked | unknown | review | coverage | boundary
    text: str


def who(line: "ServiceLine") -> str:
    parts = [f"{line.count(kind)} {kind if line.count(kind) != 1 else kind[:-1]}"
             for kind in ("users", "devices", "accounts", "repos") if line.count(kind)]
    return ", ".join(parts) or "no identified subject"


def workshop_questions(draft: "ScopeDraft", sanctions: dict[str, dict[str, Any]], today: dt.date) -> list[Question]:
    questions: list[Question] = []
    for line in draft.services:
        if line.unknown:
            continue
        if line.shadow:
            questions.append(Question("owner", f"{line.name} ({line.vendor or 'unknown vendor'}) is used without a "
                                      f"decision ({who(line)}; last seen {line.last_seen}). Who owns it, and is it "
                                      "to be sanctioned, tolerated or blocked?"))
        elif line.status == "blocked":
            questions.append(Question("blocked", f"{line.name} is blocked but was used ({who(line)}; last seen "
                                      f"{line.last_seen}). How is the block enforced, and what data was sent?"))
        elif not line.owner:
            questions.append(Question("owner", f"{line.name} is {line.status} but has no owner in the sanctions "
                                      "file. Who owns it?"))
    unknown_rows = [row for line in draft.services if line.unknown for row in line.rows]
    for row in unknown_rows[:MAX_UNKNOWN_QUESTIONS]:
        questions.append(Question("unknown", f"What is the {row['service_id']} found at {row['location']} "
                                  f"({row['source']}: {row['subject']})? Is it an AI system inside the scope, "
                                  "and who is responsible for it?"))
    if len(unknown_rows) > MAX_UNKNOWN_QUESTIONS:
        more = len(unknown_rows) - MAX_UNKNOWN_QUESTIONS
        questions.append(Question("unknown", f"… and {more} more unknown AI-like "
                                  "findings (see the CSV)."))
    for target, sanction in sorted(sanctions.items()):
        review = sanction.get("review_date") or ""
        if review and review < today.isoformat():
            questions.append(Question("review", f"The decision on {target} ({sanction['status']}) was due for review "
                                      f"on {review}. Is it still right?"))
    for gap in draft.gaps:
        questions.append(Question("coverage", f"{gap.source}: {gap.what} could not be covered ({gap.why}). Accept "
                                  "the gap for this scope, or fix access and run discover again?"))
    if draft.outside:
        subjects = draft.headline["outside_subjects"]
        names = ", ".join(line.name for line in draft.outside[:5]) + (" …" if len(draft.outside) > 5 else "")
        questions.append(Question("boundary", f"{subjects} subject(s) outside the scope's boundaries used AI services "
                                  f"({names}). Widen the scope to include them, or record why they are excluded?"))
    if not draft.scope.has_boundaries and draft.scope.name != "all":
        questions.append(Question("boundary", "The scope sets no boundaries (networks, users, departments, "
                                  "accounts, repositories): what does it include, and what not?"))
    return questions
